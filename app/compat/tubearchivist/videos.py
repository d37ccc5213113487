"""``/api/video/...``: the list, one video, its progress, comments, similar videos and
SponsorBlock segments; ``/api/watched/``."""

from __future__ import annotations

import time
from typing import Any

from aiohttp import web

from app.compat.tubearchivist.answers import item, listed, missing, video_docs
from app.compat.tubearchivist.auth import user_of
from app.compat.tubearchivist.context import context
from app.compat.tubearchivist.docs import comment_threads
from app.compat.tubearchivist.paging import page_of
from app.core.errors import InvalidInput
from app.core.web import read_object
from app.library.models import Progress, Video

SIMILAR = 6


async def video_list(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    total, videos = await ctx.library.videos(
        page.offset,
        page.size,
        sort="published",
        channel_id=request.query.get("channel") or None,
        playlist_id=request.query.get("playlist") or None,
    )
    return listed(await video_docs(ctx, user_of(request), videos), page, total)


async def _video(request: web.Request) -> Video | None:
    return await context(request).library.video(request.match_info["video_id"])


def _no_video(request: web.Request) -> web.Response:
    return missing(f"video {request.match_info['video_id']!r} not found")


async def video_item(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    [doc] = await video_docs(context(request), user_of(request), [video])
    return item(doc)


def _progress_doc(progress: Progress) -> dict[str, Any]:
    return {
        "youtube_id": progress.video_id,
        "user_id": progress.user_id,
        "position": progress.position,
        "watched": progress.watched,
    }


async def progress_get(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    progress = await context(request).library.progress(user_of(request), video.video_id)
    return web.json_response(_progress_doc(progress))


async def progress_post(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    position = (await read_object(request)).get("position")
    if not isinstance(position, int | float) or isinstance(position, bool) or position < 0:
        raise InvalidInput("position must be a number of seconds, 0 or more.")
    watched = bool(video.duration and position >= video.duration * 0.9)
    progress = Progress(
        video_id=video.video_id, user_id=user_of(request), position=position, watched=watched
    )
    await context(request).library.set_progress(progress)
    return web.json_response(_progress_doc(progress))


async def progress_delete(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    user = user_of(request)
    await context(request).library.forget_progress(user, video.video_id)
    return web.json_response(_progress_doc(Progress(video_id=video.video_id, user_id=user)))


async def comments(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    found = await context(request).library.comments(video.video_id)
    return item(comment_threads(found))


async def similar(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    ctx = context(request)
    found = await ctx.library.similar(video, SIMILAR)
    return item(await video_docs(ctx, user_of(request), found))


async def sponsor_get(request: web.Request) -> web.Response:
    video = await _video(request)
    if video is None:
        return _no_video(request)
    fetched, segments = await context(request).sponsorblock.segments(video.video_id)
    return item(
        {
            "last_refresh": int(fetched),
            "has_unlocked": any(not s.get("locked") for s in segments),
            "is_enabled": True,
            "segments": segments,
        }
    )


async def sponsor_post(request: web.Request) -> web.Response:
    """Votes and new segments are only checked, as the seed says ("simulated")."""
    if await _video(request) is None:
        return _no_video(request)
    body = await read_object(request)
    if isinstance(body.get("vote"), dict):
        vote = body["vote"]
        if not isinstance(vote.get("uuid"), str) or vote.get("yourVote") not in (0, 1, 20):
            raise InvalidInput("A vote needs a uuid and yourVote 0, 1 or 20.")
        return web.json_response({"success": True, "vote": vote})
    if isinstance(body.get("segment"), dict):
        segment = body["segment"]
        start, end = segment.get("startTime"), segment.get("endTime")
        numbers = all(isinstance(t, int | float) and not isinstance(t, bool) for t in (start, end))
        if not numbers or end < start or start < 0:
            raise InvalidInput("A segment needs startTime and endTime, end not before start.")
        return web.json_response({"success": True, "segment": segment})
    raise InvalidInput("Send a vote or a segment.")


async def watched(request: web.Request) -> web.Response:
    """``{"id": video id, "is_watched": bool}`` (the newer API the media plugins use)."""
    body = await read_object(request)
    video_id, is_watched = body.get("id"), body.get("is_watched")
    if not isinstance(video_id, str) or not isinstance(is_watched, bool):
        raise InvalidInput("id (a string) and is_watched (a boolean) are required.")
    library, user = context(request).library, user_of(request)
    video = await library.video(video_id)
    if video is None:
        return missing(f"video {video_id!r} not found")
    position = video.duration or 0.0 if is_watched else 0.0
    progress = Progress(video_id=video_id, user_id=user, position=position, watched=is_watched)
    await library.set_progress(progress)
    return web.json_response({"id": video_id, "is_watched": is_watched, "at": int(time.time())})
