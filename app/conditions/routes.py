"""HTTP routes for /api/conditions: thin wrappers over ConditionService."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.pagination import parse_page
from app.core.web import add_routes, int_id, read_object


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
    condition = request.app[keys.CONDITIONS].get(int_id(request, "condition"))
    return web.json_response(condition.public(with_cookies=True))


async def create_condition(request: web.Request) -> web.Response:
    condition = await request.app[keys.CONDITIONS].create(await read_object(request))
    return web.json_response(condition.public(with_cookies=True))


async def patch_condition(request: web.Request) -> web.Response:
    service = request.app[keys.CONDITIONS]
    condition = await service.patch(int_id(request, "condition"), await read_object(request))
    return web.json_response(condition.public(with_cookies=True))


async def put_condition(request: web.Request) -> web.Response:
    service = request.app[keys.CONDITIONS]
    condition = await service.replace(int_id(request, "condition"), await read_object(request))
    return web.json_response(condition.public(with_cookies=True))


async def delete_condition(request: web.Request) -> web.Response:
    condition = await request.app[keys.CONDITIONS].delete(int_id(request, "condition"))
    return web.json_response(condition.public(with_cookies=False))


async def test_condition(request: web.Request) -> web.Response:
    data = await read_object(request)
    service = request.app[keys.CONDITIONS]
    result = await service.test(data.get("url"), data.get("condition"), data.get("preset", ""))
    return web.json_response(result)


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
