"""``/api/download/...``: TubeArchivist's download queue over Tubestash's.

Its pending entries are the queued items (added through the Downloads facade, waiting
unless ``?autostart`` says to start); its ignore list is this layer's own table.
"""

from __future__ import annotations

import re
from typing import Any

from aiohttp import web
from pydantic import ValidationError

from app.compat.tubearchivist.answers import item, listed, missing
from app.compat.tubearchivist.context import Context, context
from app.compat.tubearchivist.docs import download_doc
from app.compat.tubearchivist.ignored import Ignored
from app.compat.tubearchivist.paging import page_of
from app.core.errors import AppError, InvalidInput
from app.core.web import read_object
from app.downloads.models import AddRequest, Item

MAX_ADD = 500
_VIDEO_ID = re.compile(r"[\w-]{1,128}")
FILTERS = ("pending", "ignore")


def _message(status: int, message: str) -> web.Response:
    """``POST /api/download/`` answers its errors as ``{"message": ...}``."""
    return web.json_response({"message": message}, status=status)


def video_url(given: str) -> str:
    """A full URL as it is; a bare id is a YouTube video's."""
    if given.startswith(("http://", "https://")):
        return given
    if not _VIDEO_ID.fullmatch(given):
        raise InvalidInput(f"{given[:100]!r} is neither a video id nor a URL.")
    return f"https://www.youtube.com/watch?v={given}"


def _ignored_doc(entry: Ignored) -> dict[str, Any]:
    return {
        "youtube_id": entry.video_id,
        "title": entry.title or entry.url,
        "channel_name": entry.channel,
        "channel_id": entry.channel,
        "status": "ignore",
        "timestamp": entry.added_ns // 1_000_000_000,
        "vid_type": "videos",
    }


def _channel_of(item: Item) -> str | None:
    return item.extras.channel or item.extras.uploader


def _queued(ctx: Context, video_id: str) -> Item | None:
    for queued in ctx.downloads.queued():
        if video_id in (queued.id, queued.uid):
            return queued
    return None


async def queue_list(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    which = request.query.get("filter") or "pending"
    if which not in FILTERS:
        raise InvalidInput("filter must be pending or ignore.")
    channel = request.query.get("channel") or None
    if which == "ignore":
        total, entries = await ctx.ignored.page(page.offset, page.size, channel)
        return listed([_ignored_doc(e) for e in entries], page, total)
    pending = [i for i in ctx.downloads.queued() if channel in (None, _channel_of(i))]
    chosen = pending[page.offset : page.offset + page.size]
    return listed([download_doc(i, "pending") for i in chosen], page, len(pending))


async def queue_add(request: web.Request) -> web.Response:
    """``{"data": [{"youtube_id": id or URL, "status": "pending"}]}``; echoes the body."""
    try:
        body = await read_object(request)
        requests = _requests(context(request), body, bool(request.query.get("autostart")))
        if requests:
            await context(request).downloads.add(requests)
    except AppError as error:
        return _message(error.status, error.message)
    return web.json_response(body)


def _requests(ctx: Context, body: dict[str, Any], autostart: bool) -> list[AddRequest]:
    entries = body.get("data")
    if not isinstance(entries, list) or len(entries) > MAX_ADD:
        raise InvalidInput(f"data must be a list of at most {MAX_ADD} videos.")
    requests = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("youtube_id"), str):
            raise InvalidInput("Each entry needs a youtube_id.")
        if entry.get("status", "pending") != "pending":
            continue  # only pending entries are added, as TubeArchivist does
        url = video_url(entry["youtube_id"].strip())
        try:
            requests.append(AddRequest(url=url, auto_start=autostart, cookies=ctx.cookie.text))
        except ValidationError as error:
            raise InvalidInput(f"{url[:100]!r}: {error.errors()[0]['msg']}") from None
    return requests


async def queue_delete(request: web.Request) -> web.Response:
    ctx = context(request)
    which = request.query.get("filter")
    if which not in FILTERS:
        raise InvalidInput("filter must be pending or ignore.")
    if which == "ignore":
        return web.json_response({"deleted": await ctx.ignored.clear(), "filter": which})
    uids = [i.uid for i in ctx.downloads.queued()]
    await ctx.downloads.delete(uids, where="queue")
    return web.json_response({"deleted": len(uids), "filter": which})


async def queue_item(request: web.Request) -> web.Response:
    ctx, video_id = context(request), request.match_info["video_id"]
    queued = _queued(ctx, video_id)
    if queued is not None:
        return item(download_doc(queued, "pending"))
    ignored = await ctx.ignored.get(video_id)
    if ignored is not None:
        return item(_ignored_doc(ignored))
    return missing(f"video {video_id!r} is not in the download queue")


async def queue_item_set(request: web.Request) -> web.Response:
    """``{"status": "ignore"}`` moves a pending video to the ignore list; ``"pending"``
    queues an ignored one again."""
    ctx, video_id = context(request), request.match_info["video_id"]
    status = (await read_object(request)).get("status")
    if status not in FILTERS:
        raise InvalidInput("status must be pending or ignore.")
    queued = _queued(ctx, video_id)
    ignored = await ctx.ignored.get(video_id)
    if queued is None and ignored is None:
        return missing(f"video {video_id!r} is not in the download queue")
    if status == "ignore" and queued is not None:
        await ctx.ignored.add(
            queued.id or queued.uid, queued.url, queued.title, _channel_of(queued)
        )
        await ctx.downloads.delete([queued.uid], where="queue")
    elif status == "pending" and ignored is not None:
        await ctx.downloads.add(
            [AddRequest(url=ignored.url, auto_start=False, cookies=ctx.cookie.text)]
        )
        await ctx.ignored.remove(video_id)
    return web.json_response({"youtube_id": video_id, "status": status})


async def queue_item_delete(request: web.Request) -> web.Response:
    ctx, video_id = context(request), request.match_info["video_id"]
    queued = _queued(ctx, video_id)
    if queued is not None:
        await ctx.downloads.delete([queued.uid], where="queue")
    removed = await ctx.ignored.remove(video_id)
    if queued is None and not removed:
        return missing(f"video {video_id!r} is not in the download queue")
    return web.json_response({"youtube_id": video_id, "deleted": True})
