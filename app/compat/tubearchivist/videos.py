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
from app.library.service import Library

SIMILAR = 6
WATCHED_PAGE = 500


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
    """``{"id": video, channel or playlist id, "is_watched": bool}`` (the newer API the media
    plugins use): a channel or a playlist marks every library video of it for the user."""
    body = await read_object(request)
    given, is_watched = body.get("id"), body.get("is_watched")
    if not isinstance(given, str) or not isinstance(is_watched, bool):
        raise InvalidInput("id (a string) and is_watched (a boolean) are required.")
    library, user = context(request).library, user_of(request)
    video = await library.video(given)
    if video is not None:
        await _mark(library, user, [video], is_watched)
    elif await library.channel(given) is not None:
        await _mark_all(library, user, is_watched, channel_id=given)
    elif await library.playlist(given) is not None:
        await _mark_all(library, user, is_watched, playlist_id=given)
    else:
        return missing(f"video, channel or playlist {given!r} not found")
    return web.json_response({"id": given, "is_watched": is_watched, "at": int(time.time())})


async def _mark_all(
    library: Library,
    user: int,
    is_watched: bool,
    *,
    channel_id: str | None = None,
    playlist_id: str | None = None,
) -> None:
    """Every library video of the channel or playlist, a page at a time."""
    offset = 0
    while True:
        _, page = await library.videos(
            offset, WATCHED_PAGE, channel_id=channel_id, playlist_id=playlist_id
        )
        await _mark(library, user, page, is_watched)
        if len(page) < WATCHED_PAGE:
            return
        offset += len(page)


async def _mark(library: Library, user: int, videos: list[Video], is_watched: bool) -> None:
    for video in videos:
        position = video.duration or 0.0 if is_watched else 0.0
        progress = Progress(
            video_id=video.video_id, user_id=user, position=position, watched=is_watched
        )
        await library.set_progress(progress)
