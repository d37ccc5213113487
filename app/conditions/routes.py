"""HTTP routes for /api/conditions: thin wrappers over ConditionService."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app import keys
from app.core.errors import InvalidInput
from app.core.pagination import parse_page
from app.core.web import add_routes, read_json


async def list_conditions(request: web.Request) -> web.Response:
    conditions = request.app[keys.CONDITIONS].all()
    page = parse_page(
        request.query.get("page"),
        request.query.get("per_page"),
        default=request.app[keys.SETTINGS].default_pagination,
    )
    chosen = conditions[page.offset : page.offset + page.per_page]
    return web.json_response(
        {
            "items": [c.public(with_cookies=False) for c in chosen],
            "pagination": page.envelope(len(conditions)),
        }
    )


async def get_condition(request: web.Request) -> web.Response:
    condition = request.app[keys.CONDITIONS].get(_id(request))
    return web.json_response(condition.public(with_cookies=True))


async def create_condition(request: web.Request) -> web.Response:
    condition = await request.app[keys.CONDITIONS].create(await _object(request))
    return web.json_response(condition.public(with_cookies=True))


async def patch_condition(request: web.Request) -> web.Response:
    service = request.app[keys.CONDITIONS]
    condition = await service.patch(_id(request), await _object(request))
    return web.json_response(condition.public(with_cookies=True))


async def put_condition(request: web.Request) -> web.Response:
    service = request.app[keys.CONDITIONS]
    condition = await service.replace(_id(request), await _object(request))
    return web.json_response(condition.public(with_cookies=True))


async def delete_condition(request: web.Request) -> web.Response:
    condition = await request.app[keys.CONDITIONS].delete(_id(request))
    return web.json_response(condition.public(with_cookies=False))


async def test_condition(request: web.Request) -> web.Response:
    data = await _object(request)
    service = request.app[keys.CONDITIONS]
    result = await service.test(data.get("url"), data.get("condition"), data.get("preset", ""))
    return web.json_response(result)


def _id(request: web.Request) -> int:
    try:
        return int(request.match_info["id"])
    except ValueError:
        raise InvalidInput("A valid condition id is required.") from None


async def _object(request: web.Request) -> dict[str, Any]:
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/conditions", list_conditions),
            ("POST", "/api/conditions", create_condition),
            # Before {id}: "test" is not an id.
            ("POST", "/api/conditions/test", test_condition),
            ("GET", "/api/conditions/{id}", get_condition),
            ("PATCH", "/api/conditions/{id}", patch_condition),
            ("PUT", "/api/conditions/{id}", put_condition),
            ("DELETE", "/api/conditions/{id}", delete_condition),
        ],
    )
