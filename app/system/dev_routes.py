"""Development-only endpoints (``YTP_DEV_MODE``); 403 otherwise."""

from __future__ import annotations

import asyncio

from aiohttp import web

from app import keys
from app.core.errors import Forbidden
from app.core.openapi import ApiRoute, declare
from app.core.web import add_routes
from app.system.dev import loop_report
from app.system.schemas import LoopReport, PipVersions
from app.system.versions import dependency_versions


def _check(request: web.Request) -> None:
    if not request.app[keys.SETTINGS].dev_mode:
        raise Forbidden("Development mode is not enabled.")


async def loop(request: web.Request) -> web.Response:
    _check(request)
    return web.json_response(loop_report())


async def pip(request: web.Request) -> web.Response:
    _check(request)
    return web.json_response(await asyncio.to_thread(dependency_versions))


API = (
    ApiRoute(
        "GET", "/api/dev/loop", "The event loop and its tasks (dev mode)", {200: LoopReport},
        tags=("dev",),
    ),
    ApiRoute(
        "GET", "/api/dev/pip", "Installed versions of the dependencies (dev mode)",
        {200: PipVersions}, tags=("dev",),
    ),
)  # fmt: skip


def setup(app: web.Application) -> None:
    add_routes(app.router, [("GET", "/api/dev/loop", loop), ("GET", "/api/dev/pip", pip)])
    declare(app, API)
