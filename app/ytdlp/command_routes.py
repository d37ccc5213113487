"""HTTP route for POST /api/yt-dlp/command: a console-only tool."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.errors import Forbidden
from app.core.openapi import ApiRoute, declare
from app.core.web import add_routes, read_model
from app.ytdlp.command import CommandBuilder, CommandRequest
from app.ytdlp.schemas import CommandAnswer


async def build_command(request: web.Request) -> web.Response:
    settings = request.app[keys.SETTINGS]
    if not settings.console_enabled:
        raise Forbidden("The console is disabled.")
    body = await read_model(request, CommandRequest)
    preset = request.app[keys.PRESETS].by_name(body.preset or "default")
    builder = CommandBuilder(
        settings.download_path,
        settings.config_path / "archives",
        settings.temp_path,
        allow_unsafe=settings.allow_unsafe_options,
    )
    return web.json_response({"command": await builder.build(body, preset)})


API = (
    ApiRoute(
        "POST",
        "/api/yt-dlp/command/",
        "The yt-dlp command line a download would run (console only)",
        {200: CommandAnswer},
        body=CommandRequest,
        tags=("yt-dlp",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(app.router, [("POST", "/api/yt-dlp/command/", build_command)])
    declare(app, API)
