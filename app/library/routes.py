"""HTTP routes of the library: /api/library/... (videos, search, channels, playlists,
progress, the indexing of history)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from pydantic import BaseModel

from app import keys
from app.access.middleware import principal_of
from app.core.errors import NotFound
from app.core.openapi import ApiRoute, Pagination, declare
from app.core.openapi import PageQuery as ListQuery
from app.core.pagination import Page
from app.core.web import add_routes, read_model
from app.library.models import Channel, IndexStatus, Playlist, Progress, SearchHit, Video
from app.library.schemas import (
    ChannelPage,
    PlaylistPage,
    ProgressBody,
    SearchAnswer,
    SearchQuery,
    VideoPage,
    VideoQuery,
)
from app.library.users import user_of

SUGGEST_BELOW = 5  # hits


def _page(request: web.Request, query: ListQuery) -> Page:
    size = query.per_page or request.app[keys.SETTINGS].default_pagination
    return Page(query.page, size)


def _answer(page: Page, total: int, items: list[Any]) -> web.Response:
    listed = [i.model_dump(mode="json") if isinstance(i, BaseModel) else i for i in items]
    return web.json_response({"pagination": page.envelope(total), "items": listed})


async def list_videos(request: web.Request) -> web.Response:
    query = VideoQuery.model_validate(dict(request.query))
    page = _page(request, query)
    total, videos = await request.app[keys.LIBRARY].videos(
        page.offset,
        page.per_page,
        sort=query.sort,
        channel_id=query.channel_id,
        playlist_id=query.playlist_id,
        file=query.file,
    )
    return _answer(page, total, videos)


async def _video(request: web.Request) -> Video:
    video_id = request.match_info["video_id"]
    video = await request.app[keys.LIBRARY].video(video_id)
    if video is None:
        raise NotFound(f"No video {video_id!r} in the library.")
    return video


async def get_video(request: web.Request) -> web.Response:
    return web.json_response((await _video(request)).model_dump(mode="json"))


async def search(request: web.Request) -> web.Response:
    query = SearchQuery.model_validate(dict(request.query))
    page = _page(request, query)
    library = request.app[keys.LIBRARY]
    total, hits = await library.search(query.q, page.offset, page.per_page)
    found = [SearchHit(video=h.video, rank=h.rank, snippet=h.snippet) for h in hits]
    # Respellings when the words found (almost) nothing: they cost a walk of the vocabulary.
    few = page.page == 1 and total < SUGGEST_BELOW
    suggestions = await library.suggestions(query.q) if few else []
    pagination = Pagination.model_validate(page.envelope(total))
    answer = SearchAnswer(pagination=pagination, items=found, suggestions=suggestions)
    return web.json_response(answer.model_dump(mode="json"))


async def list_channels(request: web.Request) -> web.Response:
    page = _page(request, ListQuery.model_validate(dict(request.query)))
    total, channels = await request.app[keys.LIBRARY].channels(page.offset, page.per_page)
    return _answer(page, total, channels)


async def get_channel(request: web.Request) -> web.Response:
    channel_id = request.match_info["channel_id"]
    channel = await request.app[keys.LIBRARY].channel(channel_id)
    if channel is None:
        raise NotFound(f"No channel {channel_id!r} in the library.")
    return web.json_response(channel.model_dump(mode="json"))


async def list_playlists(request: web.Request) -> web.Response:
    page = _page(request, ListQuery.model_validate(dict(request.query)))
    total, playlists = await request.app[keys.LIBRARY].playlists(page.offset, page.per_page)
    return _answer(page, total, playlists)


async def get_playlist(request: web.Request) -> web.Response:
    playlist_id = request.match_info["playlist_id"]
    playlist = await request.app[keys.LIBRARY].playlist(playlist_id)
    if playlist is None:
        raise NotFound(f"No playlist {playlist_id!r} in the library.")
    return web.json_response(playlist.model_dump(mode="json"))


def _user(request: web.Request) -> int:
    """The caller's own progress: the Basic-auth user's, or its API key's."""
    return user_of(principal_of(request))


async def get_progress(request: web.Request) -> web.Response:
    video = await _video(request)
    progress = await request.app[keys.LIBRARY].progress(_user(request), video.video_id)
    return web.json_response(progress.model_dump(mode="json"))


async def set_progress(request: web.Request) -> web.Response:
    video = await _video(request)
    body = await read_model(request, ProgressBody)
    library = request.app[keys.LIBRARY]
    watched = body.watched
    if watched is None:  # a position near the end counts as watched
        watched = bool(video.duration and body.position >= video.duration * 0.9)
    progress = Progress(
        video_id=video.video_id, user_id=_user(request), position=body.position, watched=watched
    )
    return web.json_response((await library.set_progress(progress)).model_dump(mode="json"))


async def delete_progress(request: web.Request) -> web.Response:
    video = await _video(request)
    await request.app[keys.LIBRARY].forget_progress(_user(request), video.video_id)
    return web.json_response({"message": "Progress forgotten."})


async def index_status(request: web.Request) -> web.Response:
    return web.json_response(request.app[keys.LIBRARY_INDEXER].status().model_dump())


async def start_index(request: web.Request) -> web.Response:
    indexer = request.app[keys.LIBRARY_INDEXER]
    indexer.start()
    return web.json_response(indexer.status().model_dump(), status=202)


_TAGS = ("library",)
API = (
    ApiRoute(
        "GET",
        "/api/library/videos",
        "Library videos",
        {200: VideoPage},
        query=VideoQuery,
        tags=_TAGS,
    ),
    ApiRoute("GET", "/api/library/videos/{video_id}", "One video", {200: Video}, tags=_TAGS),
    ApiRoute(
        "GET",
        "/api/library/search",
        "Full-text search (ranked, prefixes, suggestions)",
        {200: SearchAnswer},
        query=SearchQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/library/channels",
        "Library channels",
        {200: ChannelPage},
        query=ListQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET", "/api/library/channels/{channel_id}", "One channel", {200: Channel}, tags=_TAGS
    ),
    ApiRoute(
        "GET",
        "/api/library/playlists",
        "Library playlists",
        {200: PlaylistPage},
        query=ListQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET", "/api/library/playlists/{playlist_id}", "One playlist", {200: Playlist}, tags=_TAGS
    ),
    ApiRoute(
        "GET",
        "/api/library/videos/{video_id}/progress",
        "Where you are in a video",
        {200: Progress},
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/library/videos/{video_id}/progress",
        "Record where you are in a video",
        {200: Progress},
        body=ProgressBody,
        tags=_TAGS,
    ),
    ApiRoute(
        "DELETE",
        "/api/library/videos/{video_id}/progress",
        "Forget where you are in a video",
        tags=_TAGS,
    ),
    ApiRoute(
        "GET", "/api/library/index", "The indexing of history", {200: IndexStatus}, tags=_TAGS
    ),
    ApiRoute(
        "POST",
        "/api/library/index",
        "Index all of history again (in the background)",
        {202: IndexStatus},
        body_required=False,
        tags=_TAGS,
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/library/videos", list_videos),
            ("GET", "/api/library/videos/{video_id}", get_video),
            ("GET", "/api/library/search", search),
            ("GET", "/api/library/channels", list_channels),
            ("GET", "/api/library/channels/{channel_id}", get_channel),
            ("GET", "/api/library/playlists", list_playlists),
            ("GET", "/api/library/playlists/{playlist_id}", get_playlist),
            ("GET", "/api/library/videos/{video_id}/progress", get_progress),
            ("POST", "/api/library/videos/{video_id}/progress", set_progress),
            ("DELETE", "/api/library/videos/{video_id}/progress", delete_progress),
            ("GET", "/api/library/index", index_status),
            ("POST", "/api/library/index", start_index),
        ],
    )
    declare(app, API)
