"""HTTP routes for /api/dl_fields: thin wrappers over DlFieldService."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.pagination import parse_page
from app.core.web import add_routes, int_id, read_object


async def list_fields(request: web.Request) -> web.Response:
    fields = request.app[keys.DL_FIELDS].all()
    page = parse_page(
        request.query.get("page"),
        request.query.get("per_page"),
        default=request.app[keys.SETTINGS].default_pagination,
    )
    chosen = fields[page.offset : page.offset + page.per_page]
    return web.json_response(
        {"items": [f.public() for f in chosen], "pagination": page.envelope(len(fields))}
    )


async def get_field(request: web.Request) -> web.Response:
    return web.json_response(
        request.app[keys.DL_FIELDS].get(int_id(request, "download field")).public()
    )


async def create_field(request: web.Request) -> web.Response:
    created = await request.app[keys.DL_FIELDS].create(await read_object(request))
    return web.json_response(created.public())


async def patch_field(request: web.Request) -> web.Response:
    service = request.app[keys.DL_FIELDS]
    return web.json_response(
        (
            await service.patch(int_id(request, "download field"), await read_object(request))
        ).public()
    )


async def put_field(request: web.Request) -> web.Response:
    service = request.app[keys.DL_FIELDS]
    replaced = await service.replace(int_id(request, "download field"), await read_object(request))
    return web.json_response(replaced.public())


async def delete_field(request: web.Request) -> web.Response:
    return web.json_response(
        (await request.app[keys.DL_FIELDS].delete(int_id(request, "download field"))).public()
    )


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/dl_fields/", list_fields),
            ("POST", "/api/dl_fields/", create_field),
            ("GET", "/api/dl_fields/{id}", get_field),
            ("PATCH", "/api/dl_fields/{id}", patch_field),
            ("PUT", "/api/dl_fields/{id}", put_field),
            ("DELETE", "/api/dl_fields/{id}", delete_field),
        ],
    )
