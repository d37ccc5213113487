"""HTTP routes for /api/player/...: HLS playlists, TS segments and WebVTT subtitles.

The browser's ``<video>`` and hls.js fetch these with the page's credentials (the session
cookie, cached Basic credentials); a client that authenticates with ``?apikey=`` gets it
carried into every URL of the playlists it is given, so the segments it fetches next pass
the same door.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from app import keys
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, Raw, declare
from app.core.web import add_routes
from app.player.playlists import MAX_SEGMENT_SECONDS, SEGMENT_SECONDS

M3U8 = "application/x-mpegURL"
MPEGTS = "video/mpegts"
WEBVTT = "text/vtt; charset=UTF-8"
MAX_DURATION = 10 * 24 * 3600.0  # seconds; anything longer is not a video
MAX_INDEX_DIGITS = 9  # segments: ten days at 0.5 s is 1.7 million


class M3u8Query(BaseModel):
    model_config = ConfigDict(extra="ignore")

    duration: float | None = Field(
        default=None, gt=0, le=MAX_DURATION, description="Required when mode is subtitle."
    )


class SegmentQuery(BaseModel):
    model_config = ConfigDict(extra="ignore")

    sd: float = Field(
        default=SEGMENT_SECONDS,
        ge=0.5,
        le=MAX_SEGMENT_SECONDS,
        description="Segment duration: the segment starts at segment * sd.",
    )
    vc: int = Field(default=0, ge=0, le=1, description="1: encode the video (H.264)")
    ac: int = Field(default=0, ge=0, le=1, description="1: encode the audio (AAC)")


def _params(request: web.Request) -> dict[str, str]:
    key = request.query.get("apikey")
    return {"apikey": key} if key else {}


def _file(request: web.Request) -> str:
    file = request.match_info.get("file", "")
    if not file:
        raise InvalidInput("file is required")
    return file


def _segment_index(text: str) -> int:
    # The route's \d+ takes any number of digits; int() refuses more than 4,300 of them.
    if len(text) > MAX_INDEX_DIGITS:
        raise InvalidInput("The segment index is out of range.")
    return int(text)


def _playlist(text: str) -> web.Response:
    return web.Response(
        body=text.encode(), headers={"Content-Type": M3U8, "Cache-Control": "no-cache"}
    )


async def playlist(request: web.Request) -> web.Response:
    player = request.app[keys.PLAYER]
    return _playlist(await player.master(_file(request), _params(request)))


async def m3u8(request: web.Request) -> web.Response:
    mode = request.match_info["mode"]
    if mode not in ("video", "subtitle"):
        raise InvalidInput("Only video and subtitle modes are supported.")
    file = _file(request)
    player = request.app[keys.PLAYER]
    if mode == "video":
        return _playlist(await player.video(file, _params(request)))
    query = M3u8Query.model_validate(dict(request.query))
    if query.duration is None:
        raise InvalidInput("duration is required.")
    return _playlist(await player.subtitle_playlist(file, query.duration, _params(request)))


async def segment(request: web.Request) -> web.Response:
    file = _file(request)
    query = SegmentQuery.model_validate(dict(request.query))
    player = request.app[keys.PLAYER]
    mtime = await player.modified(file)
    if _not_modified(request, mtime):
        return web.Response(status=304, headers=_cache_headers(mtime))

    def gone() -> bool:
        transport = request.transport
        return transport is None or transport.is_closing()

    data = await player.segment(
        file,
        _segment_index(request.match_info["segment"]),
        query.sd,
        vc=query.vc == 1,
        ac=query.ac == 1,
        gone=gone,
    )
    return web.Response(body=data, headers={"Content-Type": MPEGTS, **_cache_headers(mtime)})


async def subtitle(request: web.Request) -> web.Response:
    file = _file(request)
    player = request.app[keys.PLAYER]
    mtime = await player.modified(file)
    if _not_modified(request, mtime):
        return web.Response(status=304, headers=_cache_headers(mtime))
    data = await player.subtitle(file)
    return web.Response(body=data, headers={"Content-Type": WEBVTT, **_cache_headers(mtime)})


def _not_modified(request: web.Request, mtime: float) -> bool:
    since = request.if_modified_since
    return since is not None and int(mtime) <= since.timestamp()


def _cache_headers(mtime: float) -> dict[str, str]:
    stamp = datetime.fromtimestamp(int(mtime), tz=UTC)
    return {
        "Last-Modified": stamp.strftime("%a, %d %b %Y %H:%M:%S GMT"),
        # Private: with authentication on, no shared cache may keep what one user fetched.
        "Cache-Control": "private, max-age=3600",
    }


_TAGS = ("player",)
_FAILED = "The file is missing (404) or its name is refused (400)"
API = (
    ApiRoute(
        "GET",
        "/api/player/playlist/{file:.*}.m3u8",
        "The HLS multivariant playlist of a downloaded file, with its subtitle sidecars",
        {200: Raw(M3U8)},
        tags=_TAGS,
        description=_FAILED,
    ),
    ApiRoute(
        "GET",
        "/api/player/m3u8/{mode}/{file:.*}.m3u8",
        "The HLS media playlist of a video (mode video) or of a subtitle file (mode subtitle)",
        {200: Raw(M3U8)},
        query=M3u8Query,
        path_params={"mode": Literal["video", "subtitle"]},
        tags=_TAGS,
        description=_FAILED,
    ),
    ApiRoute(
        "GET",
        r"/api/player/segments/{segment:\d+}/{file:.*}.ts",
        "One MPEG-TS segment, made on demand by ffmpeg (stream copy where the browser can play)",
        {200: Raw(MPEGTS), 304: None},
        query=SegmentQuery,
        path_params={"segment": int},
        tags=_TAGS,
        description=_FAILED,
    ),
    ApiRoute(
        "GET",
        "/api/player/subtitle/{file:.*}.vtt",
        "A subtitle file (srt, ass or vtt) as WebVTT",
        {200: Raw(WEBVTT), 304: None},
        tags=_TAGS,
        description=_FAILED,
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/player/playlist/{file:.*}.m3u8", playlist),
            ("GET", "/api/player/m3u8/{mode}/{file:.*}.m3u8", m3u8),
            ("GET", r"/api/player/segments/{segment:\d+}/{file:.*}.ts", segment),
            ("GET", "/api/player/subtitle/{file:.*}.vtt", subtitle),
        ],
    )
    declare(app, API)
