"""``/api/channel/...`` and ``/api/playlist/...``: lists, items, their videos, the
extension's channel search, and subscribing (a subscription is a scheduled task)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from aiohttp import web

from app.compat.tubearchivist.answers import item, listed, missing, video_docs
from app.compat.tubearchivist.auth import user_of
from app.compat.tubearchivist.context import Context, context
from app.compat.tubearchivist.docs import channel_doc, playlist_doc
from app.compat.tubearchivist.paging import page_of
from app.core.errors import InvalidInput
from app.core.web import read_object
from app.library.models import Channel, Playlist

TASK_PREFIX = "TubeArchivist: "
RESCAN_TIMER = "17 */6 * * *"  # every six hours
MAX_SUBSCRIBE = 100
PLAYLIST_ENTRIES = 1000
SUBSCRIPTION_PAGE = 500


async def channel_list(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    total, channels = await ctx.library.channels(page.offset, page.size)
    return listed([channel_doc(c) for c in channels], page, total)


async def channel_item(request: web.Request) -> web.Response:
    channel_id = request.match_info["channel_id"]
    channel = await context(request).library.channel(channel_id)
    if channel is None:
        return missing(f"channel {channel_id!r} not found")
    return item(channel_doc(channel))


async def channel_videos(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    channel_id = request.match_info["channel_id"]
    if await ctx.library.channel(channel_id) is None:
        return missing(f"channel {channel_id!r} not found")
    total, videos = await ctx.library.videos(
        page.offset, page.size, sort="published", channel_id=channel_id
    )
    return listed(await video_docs(ctx, user_of(request), videos), page, total)


async def channel_search(request: web.Request) -> web.Response:
    """``?q=@handle`` (or a name, an id, a URL): the channel, its id and state repeated."""
    text = request.query.get("q", "").strip()
    if not text or len(text) > 500:
        raise InvalidInput("q (a channel handle, name, id or URL) is required.")
    found = await context(request).library.find_channels(text, 1)
    if not found:
        return missing(f"channel {text!r} not found")
    doc = channel_doc(found[0])
    return web.json_response(
        {
            "data": doc,
            "channel_id": doc["channel_id"],
            "channel_subscribed": doc["channel_subscribed"],
        }
    )


async def channel_subscribe(request: web.Request) -> web.Response:
    """``{"data": [{"channel_id": id, URL or @handle, "channel_subscribed": bool}]}``."""
    body = await read_object(request)
    wanted = _subscriptions(body, "channel")  # every entry checked first
    ctx = context(request)
    for given, subscribed in wanted:
        await _subscribe(ctx, given, subscribed)
    return web.json_response(body)


async def playlist_subscribe(request: web.Request) -> web.Response:
    """``{"data": [{"playlist_id": id or URL, "playlist_subscribed": bool}]}``."""
    body = await read_object(request)
    wanted = _subscriptions(body, "playlist")  # every entry checked first
    ctx = context(request)
    for given, subscribed in wanted:
        await _subscribe_playlist(ctx, given, subscribed)
    return web.json_response(body)


def _subscriptions(body: dict[str, Any], kind: str) -> list[tuple[str, bool]]:
    entries = body.get("data")
    if not isinstance(entries, list) or not 1 <= len(entries) <= MAX_SUBSCRIBE:
        raise InvalidInput(f"data must be a list of 1 to {MAX_SUBSCRIBE} {kind}s.")
    return [_subscription(entry, kind) for entry in entries]


def _subscription(entry: Any, kind: str) -> tuple[str, bool]:
    if not isinstance(entry, dict):
        raise InvalidInput("Each entry must be an object.")
    given, subscribed = entry.get(f"{kind}_id"), entry.get(f"{kind}_subscribed", True)
    if not isinstance(given, str) or not given.strip() or len(given) > 2000:
        what = "a channel id, URL or @handle" if kind == "channel" else "a playlist id or URL"
        raise InvalidInput(f"{kind}_id must be {what}.")
    if not isinstance(subscribed, bool):
        raise InvalidInput(f"{kind}_subscribed must be a boolean.")
    return given.strip(), subscribed


def channel_url(given: str, known: Channel | None) -> str:
    if given.startswith(("http://", "https://")):
        return given
    if known is not None and known.url:
        return known.url
    if given.startswith("@"):
        return f"https://www.youtube.com/{given}"
    return f"https://www.youtube.com/channel/{given}"


async def playlist_list(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    total, playlists = await ctx.library.playlists(page.offset, page.size)
    docs = []
    for playlist in playlists:
        _, entries = await ctx.library.videos(0, 1, playlist_id=playlist.playlist_id)
        docs.append(playlist_doc(playlist, entries))
    return listed(docs, page, total)


async def playlist_item(request: web.Request) -> web.Response:
    ctx = context(request)
    playlist_id = request.match_info["playlist_id"]
    playlist = await ctx.library.playlist(playlist_id)
    if playlist is None:
        return missing(f"playlist {playlist_id!r} not found")
    _, entries = await ctx.library.videos(0, PLAYLIST_ENTRIES, playlist_id=playlist_id)
    return item(playlist_doc(playlist, entries))


async def playlist_videos(request: web.Request) -> web.Response:
    ctx, page = context(request), page_of(request)
    playlist_id = request.match_info["playlist_id"]
    if await ctx.library.playlist(playlist_id) is None:
        return missing(f"playlist {playlist_id!r} not found")
    total, videos = await ctx.library.videos(page.offset, page.size, playlist_id=playlist_id)
    return listed(await video_docs(ctx, user_of(request), videos), page, total)


async def _subscribe(ctx: Context, given: str, subscribed: bool) -> None:
    found = await ctx.library.find_channels(given, 1)
    known = found[0] if found else None
    url = channel_url(given, known)
    channel = known or Channel(channel_id=given, name=given, url=url)
    channel.subscribed = subscribed
    await ctx.library.subscribe_channel(channel)
    await _schedule(ctx, url, channel.name or given, subscribed)


def playlist_url(given: str, known: Playlist | None) -> str:
    if given.startswith(("http://", "https://")):
        return given
    if known is not None and known.url:
        return known.url
    return f"https://www.youtube.com/playlist?list={quote(given, safe='')}"


def _playlist_id(given: str) -> str:
    """The id in a playlist URL's ``list=`` (the id itself when ``given`` is no URL)."""
    if not given.startswith(("http://", "https://")):
        return given
    listed_ids = parse_qs(urlsplit(given).query).get("list")
    return listed_ids[0] if listed_ids else given


async def _subscribe_playlist(ctx: Context, given: str, subscribed: bool) -> None:
    playlist_id = _playlist_id(given)
    known = await ctx.library.playlist(playlist_id)
    url = playlist_url(given, known)
    playlist = known or Playlist(playlist_id=playlist_id, title=playlist_id, url=url)
    playlist.subscribed = subscribed
    await ctx.library.subscribe_playlist(playlist)
    await _schedule(ctx, url, playlist.title or playlist_id, subscribed)


async def _schedule(ctx: Context, url: str, name: str, subscribed: bool) -> None:
    """A subscription is the layer's scheduled task for ``url``: made once, removed on leaving."""
    tasks = [t for t in ctx.tasks.all() if t.name.startswith(TASK_PREFIX) and t.url == url]
    if subscribed and not tasks:
        await ctx.tasks.create(
            {"name": f"{TASK_PREFIX}{name}"[:255], "url": url, "timer": RESCAN_TIMER}
        )
    if not subscribed:
        for task in tasks:
            await ctx.tasks.delete(task.id)


async def match_subscriptions(ctx: Context) -> None:
    """Each channel and playlist is subscribed when the layer's task for it exists (after a
    snapshot restored the library: the tasks are the subscriptions, and not restored)."""
    urls = {t.url for t in ctx.tasks.all() if t.name.startswith(TASK_PREFIX)}
    offset = 0
    while True:
        _, channels = await ctx.library.channels(offset, SUBSCRIPTION_PAGE)
        for channel in channels:
            subscribed = channel_url(channel.channel_id, channel) in urls
            if subscribed != channel.subscribed:
                channel.subscribed = subscribed
                await ctx.library.subscribe_channel(channel)
        offset += len(channels)
        if len(channels) < SUBSCRIPTION_PAGE:
            break
    offset = 0
    while True:
        _, playlists = await ctx.library.playlists(offset, SUBSCRIPTION_PAGE)
        for playlist in playlists:
            subscribed = playlist_url(playlist.playlist_id, playlist) in urls
            if subscribed != playlist.subscribed:
                playlist.subscribed = subscribed
                await ctx.library.subscribe_playlist(playlist)
        offset += len(playlists)
        if len(playlists) < SUBSCRIPTION_PAGE:
            return
