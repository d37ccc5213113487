"""The file API (``/api/file/...``): ffprobe, file info, the browser, its actions, ZIPs."""

from __future__ import annotations

from typing import get_args

from aiohttp import web
from yarl import URL

from app import keys
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, Raw, declare
from app.core.pagination import parse_page
from app.core.web import add_routes, read_json
from app.files import schemas
from app.files.actions import parse_actions
from app.files.listing import SortBy, SortOrder
from app.files.service import Browse

PER_PAGE_MAX = 1000


def _file(request: web.Request, name: str = "file") -> str:
    text = request.match_info.get(name, "")
    if not text:
        raise InvalidInput(f"{name} is required.")
    return text


async def redirect_if_misnamed(request: web.Request, text: str) -> None:
    """The seed's 302 for a path that needs normalising (or names an older title of the
    same video): to the same route with the file's real path."""
    real = await request.app[keys.FILES].canonical(text)
    if real is None:
        return
    prefix = request.path.removesuffix(text) if request.path.endswith(text) else None
    if prefix is None:
        return
    raise web.HTTPFound(URL.build(path=prefix + real, query=request.query))


async def ffprobe(request: web.Request) -> web.Response:
    text = _file(request)
    await redirect_if_misnamed(request, text)
    return web.json_response(await request.app[keys.FILES].ffprobe(text))


async def info(request: web.Request) -> web.Response:
    text = _file(request)
    await redirect_if_misnamed(request, text)
    return web.json_response(await request.app[keys.FILES].info(text))


async def browse(request: web.Request) -> web.Response:
    query = request.query
    page = parse_page(
        query.get("page"),
        query.get("per_page"),
        default=request.app[keys.SETTINGS].default_pagination,
        maximum=PER_PAGE_MAX,
    )
    sort_by = query.get("sort_by") or "name"
    sort_order = (query.get("sort_order") or "asc").lower()
    if sort_by not in get_args(SortBy):
        raise InvalidInput("sort_by must be one of name, size, date, type.")
    if sort_order not in get_args(SortOrder):
        raise InvalidInput("sort_order must be asc or desc.")
    search = query.get("search", "")
    if len(search) > 255:  # a name is at most 255 bytes: a longer search matches nothing
        raise InvalidInput("search is longer than 255 characters.")
    options = Browse(page, sort_by, sort_order, search)  # type: ignore[arg-type]
    path = request.match_info.get("path", "")
    return web.json_response(await request.app[keys.FILES].browse(path, options))


async def actions(request: web.Request) -> web.Response:
    files = request.app[keys.FILES]
    files.check_control()  # 403 before the body is read
    parsed = parse_actions(await read_json(request))
    return web.json_response(await files.act(parsed))


async def prepare_zip(request: web.Request) -> web.Response:
    body = await read_json(request)
    return web.json_response(await request.app[keys.FILES].prepare_zip(body))


async def stream_zip(request: web.Request) -> web.StreamResponse:
    download = await request.app[keys.FILES].zip(request.match_info["token"])
    response = web.StreamResponse(
        headers={
            "Content-Type": "application/zip",
            "Content-Disposition": 'attachment; filename="files.zip"',
        }
    )
    response.content_length = download.size
    await response.prepare(request)
    try:
        async for chunk in download.chunks:
            await response.write(chunk)
    finally:
        await download.chunks.aclose()
    await response.write_eof()
    return response


_TAGS = ("files",)
API = (
    ApiRoute(
        "GET",
        "/api/file/ffprobe/{file:.*}",
        "ffprobe's data for a file under the download path (302: its real path)",
        {200: schemas.FileProbe, 302: None},
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/file/info/{file:.*}",
        "A file's ffprobe data, MIME type and sidecars (302: its real path)",
        {200: schemas.FileInfo, 302: None},
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/file/browser",
        "A page of the download root (the same as /api/file/browser/)",
        {200: schemas.FileListing},
        query=schemas.FileBrowseQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/file/browser/{path:.*}",
        "A page of a folder of the download path (403: the browser is disabled)",
        {200: schemas.FileListing},
        query=schemas.FileBrowseQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/file/actions",
        "Rename, delete, move, create folders; each reports on its own (403: disabled)",
        {200: list[schemas.FileActionResult]},
        body=list[schemas.FileActionRequest],
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/file/download",
        "A short-lived token for a ZIP of these files and their sidecars",
        {200: schemas.FileZipToken},
        body=list[str],
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/file/download/{token}",
        "The ZIP of a token, streamed as it is made (400: unknown or expired)",
        {200: Raw("application/zip")},
        tags=_TAGS,
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/file/ffprobe/{file:.*}", ffprobe),
            ("GET", "/api/file/info/{file:.*}", info),
            ("GET", "/api/file/browser", browse),
            ("GET", "/api/file/browser/{path:.*}", browse),
            ("POST", "/api/file/actions", actions),
            ("POST", "/api/file/download", prepare_zip),
            ("GET", "/api/file/download/{token}", stream_zip),
        ],
    )
    declare(app, API)
