"""HTTP routes for /api/dl_fields: thin wrappers over DlFieldService."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app import keys
from app.core.errors import InvalidInput
from app.core.pagination import parse_page
from app.core.web import add_routes, read_json


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
    return web.json_response(request.app[keys.DL_FIELDS].get(_id(request)).public())


async def create_field(request: web.Request) -> web.Response:
    created = await request.app[keys.DL_FIELDS].create(await _object(request))
    return web.json_response(created.public())


async def patch_field(request: web.Request) -> web.Response:
    service = request.app[keys.DL_FIELDS]
    return web.json_response((await service.patch(_id(request), await _object(request))).public())


async def put_field(request: web.Request) -> web.Response:
    service = request.app[keys.DL_FIELDS]
    replaced = await service.replace(_id(request), await _object(request))
    return web.json_response(replaced.public())


async def delete_field(request: web.Request) -> web.Response:
    return web.json_response((await request.app[keys.DL_FIELDS].delete(_id(request))).public())


def _id(request: web.Request) -> int:
    try:
        return int(request.match_info["id"])
    except ValueError:
        raise InvalidInput("A valid download field id is required.") from None


async def _object(request: web.Request) -> dict[str, Any]:
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


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
