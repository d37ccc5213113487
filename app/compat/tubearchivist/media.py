"""Media files and images at the layer's root (``/media/...``, ``/cache/...``), served with
the token like every view, Range included; and the video page the extension opens."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from app.compat.tubearchivist.auth import public
from app.compat.tubearchivist.context import context
from app.core.errors import NotFound
from app.core.paths import resolve_under

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".webp", ".png")


def _existing_file(root: Path, relative: str) -> Path:
    path = resolve_under(root, relative)
    if not path.is_file():
        raise NotFound("File not found.")
    return path


async def media(request: web.Request) -> web.FileResponse:
    root = context(request).settings.download_path
    relative = request.match_info["path"]
    path = await asyncio.to_thread(_existing_file, root, relative)
    return web.FileResponse(path)


def _thumbnail(root: Path, video_file: str) -> Path:
    media_path = resolve_under(root, video_file)
    for suffix in IMAGE_SUFFIXES:
        candidate = media_path.with_suffix(suffix)
        if candidate.is_file() and (candidate.resolve().parent == media_path.parent):
            return candidate
    raise NotFound("No thumbnail beside this video.")


async def video_thumb(request: web.Request) -> web.FileResponse:
    """The thumbnail yt-dlp wrote beside the video (``--write-thumbnail``), if it did."""
    name = request.match_info["name"]
    video_id = name.rsplit(".", 1)[0]
    ctx = context(request)
    video = await ctx.library.video(video_id)
    if video is None or not video.file:
        raise NotFound(f"No video {video_id!r}.")
    path = await asyncio.to_thread(_thumbnail, ctx.settings.download_path, video.file)
    return web.FileResponse(path)


async def channel_image(request: web.Request) -> web.FileResponse:
    """``<channel id>_thumb.jpg`` or ``_banner.jpg``: the artwork the task metadata step
    saved for the channel (404 when it saved none)."""
    channel_id, _, kind = request.match_info["name"].rsplit(".", 1)[0].rpartition("_")
    ctx = context(request)
    channel = await ctx.library.channel(channel_id)
    image = None
    if channel is not None:
        image = channel.banner if kind in ("banner", "tvart") else channel.thumbnail
    if not image:
        raise NotFound("No image of this channel was saved.")
    path = await asyncio.to_thread(_existing_file, ctx.settings.download_path, image)
    return web.FileResponse(path)


@public
async def video_page(request: web.Request) -> web.Response:
    """The extension opens ``/video/<id>/`` in a tab: the library's page in the web UI."""
    settings = context(request).settings
    base = settings.base_path.rstrip("/")
    host = request.url.host or settings.host
    target = f"{request.scheme}://{host}:{settings.port}{base}/#/library?video="
    raise web.HTTPFound(target + quote(request.match_info["video_id"], safe=""))
