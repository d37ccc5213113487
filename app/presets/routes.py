"""HTTP routes for /api/presets: the CRUD kit's handlers, plus the extension's name list."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.crud import CrudRoutes
from app.core.openapi import declare
from app.core.web import Handler, add_routes
from app.presets import schemas


def names_or(list_presets: Handler) -> Handler:
    """The browser extension asks for names only (``?filter=name``) and expects a plain list."""

    async def handler(request: web.Request) -> web.StreamResponse:
        if request.query.get("filter") == "name":
            presets = request.app[keys.PRESETS].all()
            return web.json_response([{"name": preset.name} for preset in presets])
        return await list_presets(request)

    return handler


def setup(app: web.Application) -> None:
    crud = CrudRoutes(keys.PRESETS, what="preset", per_page=app[keys.SETTINGS].default_pagination)
    add_routes(
        app.router,
        [
            ("GET", "/api/presets", names_or(crud.list)),
            ("POST", "/api/presets", crud.create),
            ("GET", "/api/presets/{id}", crud.get),
            ("PATCH", "/api/presets/{id}", crud.patch),
            ("PUT", "/api/presets/{id}", crud.replace),
            ("DELETE", "/api/presets/{id}", crud.delete),
        ],
    )
    declare(app, schemas.API)
