"""OfflineTube's routes (``seeds/offlinetube-api.md``), thin over the layer's services."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from aiohttp import web

from app import keys
from app.compat.offlinetube import discovery, schemas
from app.compat.offlinetube.discovery import check_query
from app.compat.offlinetube.service import DownloadRequest, Library
from app.compat.offlinetube.tube import OfflineTube
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, Raw, declare, serve
from app.core.web import add_routes, read_model

VERSION = "5.0.0"
DEFAULT_RESULTS = 20


def _tube(request: web.Request) -> OfflineTube:
    return request.config_dict[keys.OFFLINETUBE]


def _library(request: web.Request) -> Library:
    return _tube(request).library


def _count(request: web.Request, name: str, default: int, maximum: int) -> int:
    raw = request.query.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise InvalidInput(f"{name} must be an integer.") from None
    if not 1 <= value <= maximum:
        raise InvalidInput(f"{name} must be between 1 and {maximum}.")
    return value


async def root(request: web.Request) -> web.Response:
    return web.json_response({"message": "OfflineTube API (Tubestash)", "version": VERSION})


async def add_download(request: web.Request) -> web.Response:
    body = await read_model(request, DownloadRequest)
    return web.json_response(await _library(request).add(body))


async def list_downloads(request: web.Request) -> web.Response:
    limit = _count(request, "limit", 100, 1000)
    return web.json_response(await _library(request).listing(limit))


async def get_download(request: web.Request) -> web.Response:
    library = _library(request)
    return web.json_response(await library.one(await library.item(request.match_info["id"])))


async def download_file(request: web.Request) -> web.FileResponse:
    path = await _library(request).file(request.match_info["id"])
    disposition = f"attachment; filename*=UTF-8''{quote(path.name)}"
    return web.FileResponse(path, headers={"Content-Disposition": disposition})


async def cancel_download(request: web.Request) -> web.Response:
    return web.json_response(await _library(request).cancel(request.match_info["id"]))


async def remove_download(request: web.Request) -> web.Response:
    return web.json_response(await _library(request).remove(request.match_info["id"]))


async def stream(request: web.Request) -> web.FileResponse:
    """A file under the download root; aiohttp answers Range requests with 206."""
    path = await _library(request).existing(request.match_info["filename"])
    return web.FileResponse(path, headers={"Content-Disposition": "inline"})


async def thumbnail(request: web.Request) -> web.StreamResponse:
    found = await _tube(request).thumbnail(request.match_info["task_id"])
    cache = {"Cache-Control": "private, max-age=3600"}
    if isinstance(found, Path):
        return web.FileResponse(found, headers=cache)
    return web.Response(body=found.body, content_type=found.content_type, headers=cache)


async def info(request: web.Request) -> web.Response:
    body = await read_model(request, schemas.InfoRequest)
    return web.json_response(await _tube(request).info(body.url))


async def search(request: web.Request) -> web.Response:
    query = check_query(request.query.get("q") or request.query.get("query"))
    limit = _count(request, "max_results", DEFAULT_RESULTS, discovery.MAX_RESULTS)
    tube = _tube(request)
    if query.lower().startswith(("http://", "https://")):
        results = (await tube.look_up(query))[:limit]
    else:
        results = await tube.search(query, limit)
    return web.json_response({"results": results, "query": query})


async def trending(request: web.Request) -> web.Response:
    limit = _count(request, "max_results", DEFAULT_RESULTS, discovery.MAX_RESULTS)
    return web.json_response({"results": await _tube(request).trending(limit)})


_DOWNLOADS = ("downloads",)
_DISCOVERY = ("discovery",)
_MEDIA = ("media",)
_FILE = {200: Raw("*/*"), 206: Raw("*/*")}
API = (
    ApiRoute("GET", "/", "The API's name and version", {200: schemas.Root}, errors=schemas.Detail),
    ApiRoute(
        "POST",
        "/api/download",
        "Start a download (quality: best, 720p...; download_type: video or audio)",
        {200: schemas.Download},
        body=DownloadRequest,
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "GET",
        "/api/downloads",
        "Queued downloads, then the most recent ended ones",
        {200: list[schemas.Download]},
        query=schemas.ListQuery,
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "GET",
        "/api/downloads/{id}",
        "One download",
        {200: schemas.Download},
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "GET",
        "/api/download/{id}/file",
        "A completed download's file (Range requests answer 206)",
        _FILE,
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "DELETE",
        "/api/downloads/{id}",
        "Cancel a download",
        {200: schemas.Done},
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "DELETE",
        "/api/downloads/{id}/remove",
        "Remove a download and its file (when YTP_REMOVE_FILES allows)",
        {200: schemas.Removed},
        errors=schemas.Detail,
        tags=_DOWNLOADS,
    ),
    ApiRoute(
        "GET",
        "/api/search",
        "Search (YTP_OFFLINETUBE_SEARCH), or look a URL up; 502 when the source fails",
        {200: schemas.SearchAnswer, 502: schemas.Detail},
        query=schemas.SearchQuery,
        errors=schemas.Detail,
        tags=_DISCOVERY,
    ),
    ApiRoute(
        "GET",
        "/api/trending",
        "Results for YTP_OFFLINETUBE_TRENDING; 502 when the source fails",
        {200: schemas.TrendingAnswer, 502: schemas.Detail},
        query=schemas.TrendingQuery,
        errors=schemas.Detail,
        tags=_DISCOVERY,
    ),
    ApiRoute(
        "POST",
        "/api/info",
        "A video's information and formats",
        {200: schemas.Info},
        body=schemas.InfoRequest,
        errors=schemas.Detail,
        tags=_DISCOVERY,
    ),
    ApiRoute(
        "GET",
        "/api/stream/{filename:.*}",
        "A file under the download path, for playing (Range requests answer 206)",
        _FILE,
        errors=schemas.Detail,
        tags=_MEDIA,
    ),
    ApiRoute(
        "GET",
        "/api/thumbnails/{task_id}",
        "A download's thumbnail image",
        {200: Raw("image/*"), 502: schemas.Detail},
        errors=schemas.Detail,
        tags=_MEDIA,
    ),
)


def setup(app: web.Application) -> None:
    app.router.add_get("/", root)
    add_routes(
        app.router,
        [
            ("POST", "/api/download", add_download),
            ("GET", "/api/downloads", list_downloads),
            ("GET", "/api/downloads/{id}", get_download),
            ("GET", "/api/download/{id}/file", download_file),
            ("DELETE", "/api/downloads/{id}", cancel_download),
            ("DELETE", "/api/downloads/{id}/remove", remove_download),
            ("GET", "/api/search", search),
            ("GET", "/api/trending", trending),
            ("POST", "/api/info", info),
            ("GET", "/api/stream/{filename:.*}", stream),
            ("GET", "/api/thumbnails/{task_id}", thumbnail),
        ],
    )
    declare(app, API)
    serve(app, "/openapi.json", title="OfflineTube API (Tubestash)", version=VERSION)
