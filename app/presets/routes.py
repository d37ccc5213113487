"""HTTP routes for /api/presets: thin wrappers over PresetService."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app import keys
from app.core.errors import InvalidInput
from app.core.pagination import parse_page
from app.core.web import add_routes, read_json


async def list_presets(request: web.Request) -> web.Response:
    service = request.app[keys.PRESETS]
    presets = service.all()
    # The browser extension asks for names only and expects a plain list.
    if request.query.get("filter") == "name":
        return web.json_response([{"name": preset.name} for preset in presets])
    page = parse_page(
        request.query.get("page"),
        request.query.get("per_page"),
        default=request.app[keys.SETTINGS].default_pagination,
    )
    chosen = presets[page.offset : page.offset + page.per_page]
    return web.json_response(
        {
            "items": [preset.public(with_cookies=False) for preset in chosen],
            "pagination": page.envelope(len(presets)),
        }
    )


async def get_preset(request: web.Request) -> web.Response:
    preset = request.app[keys.PRESETS].get(_id(request))
    return web.json_response(preset.public(with_cookies=True))


async def create_preset(request: web.Request) -> web.Response:
    preset = await request.app[keys.PRESETS].create(await _object(request))
    return web.json_response(preset.public(with_cookies=True))


async def patch_preset(request: web.Request) -> web.Response:
    service = request.app[keys.PRESETS]
    preset = await service.patch(_id(request), await _object(request))
    return web.json_response(preset.public(with_cookies=True))


async def put_preset(request: web.Request) -> web.Response:
    service = request.app[keys.PRESETS]
    preset = await service.replace(_id(request), await _object(request))
    return web.json_response(preset.public(with_cookies=True))


async def delete_preset(request: web.Request) -> web.Response:
    preset = await request.app[keys.PRESETS].delete(_id(request))
    return web.json_response(preset.public(with_cookies=False))


def _id(request: web.Request) -> int:
    try:
        return int(request.match_info["id"])
    except ValueError:
        raise InvalidInput("A valid preset id is required.") from None


async def _object(request: web.Request) -> dict[str, Any]:
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/presets", list_presets),
            ("POST", "/api/presets", create_preset),
            ("GET", "/api/presets/{id}", get_preset),
            ("PATCH", "/api/presets/{id}", patch_preset),
            ("PUT", "/api/presets/{id}", put_preset),
            ("DELETE", "/api/presets/{id}", delete_preset),
        ],
    )
