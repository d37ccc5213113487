"""HTTP routes for /api/conditions: the CRUD kit's handlers, plus the filter test."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.conditions import schemas
from app.core.crud import CrudRoutes
from app.core.openapi import declare
from app.core.web import add_routes, read_object


async def test_condition(request: web.Request) -> web.Response:
    data = await read_object(request)
    service = request.app[keys.CONDITIONS]
    result = await service.test(data.get("url"), data.get("condition"), data.get("preset", ""))
    return web.json_response(result)


def setup(app: web.Application) -> None:
    crud = CrudRoutes(
        keys.CONDITIONS, what="condition", per_page=app[keys.SETTINGS].default_pagination
    )
    add_routes(
        app.router,
        [
            ("GET", "/api/conditions", crud.list),
            ("POST", "/api/conditions", crud.create),
            # Before {id}: "test" is not an id.
            ("POST", "/api/conditions/test", test_condition),
            ("GET", "/api/conditions/{id}", crud.get),
            ("PATCH", "/api/conditions/{id}", crud.patch),
            ("PUT", "/api/conditions/{id}", crud.replace),
            ("DELETE", "/api/conditions/{id}", crud.delete),
        ],
    )
    declare(app, schemas.API)
