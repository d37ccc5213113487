"""HTTP routes for the yt-dlp tools: convert options, list options, URL info, archive ids."""

from __future__ import annotations

from dataclasses import asdict

from aiohttp import web

from app import keys
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, declare
from app.core.web import add_routes, read_json
from app.ytdlp import schemas
from app.ytdlp.options import options_catalog, parse_cli


async def convert(request: web.Request) -> web.Response:
    data = await read_json(request)
    args = data.get("args") if isinstance(data, dict) else None
    if not isinstance(args, str):
        raise InvalidInput("args is required and must be a string.")
    parsed = parse_cli(args, allow_unsafe=request.app[keys.SETTINGS].allow_unsafe_options)
    answer = asdict(parsed)
    answer.pop("args")
    if not parsed.removed_options:
        answer.pop("removed_options")  # the seed: present only when something was removed
    return web.json_response(answer)


async def options(request: web.Request) -> web.Response:
    return web.json_response(options_catalog())


async def url_info(request: web.Request) -> web.Response:
    query = request.query
    info = await request.app[keys.INFO].info(
        query.get("url"),
        query.get("preset", ""),
        query.get("args", ""),
        force=query.get("force", "").lower() in ("1", "true", "yes"),
    )
    return web.json_response(info)


async def archive_ids(request: web.Request) -> web.Response:
    data = await read_json(request)
    if not isinstance(data, list):
        raise InvalidInput("The request body must be a JSON array of URLs.")
    return web.json_response(await request.app[keys.INFO].archive_ids(data))


_TAGS = ("yt-dlp",)
API = (
    ApiRoute(
        "POST",
        "/api/yt-dlp/convert",
        "yt-dlp command-line options as YoutubeDL params",
        {200: schemas.Converted},
        body=schemas.ConvertRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/yt-dlp/options",
        "Every documented yt-dlp option",
        {200: list[schemas.OptionInfo]},
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/yt-dlp/url/info",
        "A URL's info, extracted by yt-dlp (cached 5 minutes)",
        {200: schemas.UrlInfo},
        query=schemas.UrlInfoQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/yt-dlp/archive_id/",
        "Archive ids of URLs, without network requests",
        {200: list[schemas.ArchiveIdAnswer]},
        body=list[str],
        tags=_TAGS,
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("POST", "/api/yt-dlp/convert", convert),
            ("GET", "/api/yt-dlp/options", options),
            ("GET", "/api/yt-dlp/url/info", url_info),
            ("POST", "/api/yt-dlp/archive_id/", archive_ids),
        ],
    )
    declare(app, API)
