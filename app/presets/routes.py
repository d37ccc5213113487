"""HTTP routes for /api/presets: thin wrappers over PresetService."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.pagination import parse_page
from app.core.web import add_routes, int_id, read_object


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
    preset = request.app[keys.PRESETS].get(int_id(request, "preset"))
    return web.json_response(preset.public(with_cookies=True))


async def create_preset(request: web.Request) -> web.Response:
    preset = await request.app[keys.PRESETS].create(await read_object(request))
    return web.json_response(preset.public(with_cookies=True))


async def patch_preset(request: web.Request) -> web.Response:
    service = request.app[keys.PRESETS]
    preset = await service.patch(int_id(request, "preset"), await read_object(request))
    return web.json_response(preset.public(with_cookies=True))


async def put_preset(request: web.Request) -> web.Response:
    service = request.app[keys.PRESETS]
    preset = await service.replace(int_id(request, "preset"), await read_object(request))
    return web.json_response(preset.public(with_cookies=True))


async def delete_preset(request: web.Request) -> web.Response:
    preset = await request.app[keys.PRESETS].delete(int_id(request, "preset"))
    return web.json_response(preset.public(with_cookies=False))


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
