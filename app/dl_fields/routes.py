"""HTTP routes for /api/dl_fields: the CRUD kit's handlers."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.crud import CrudRoutes
from app.core.openapi import declare
from app.core.web import add_routes
from app.dl_fields import schemas


def setup(app: web.Application) -> None:
    crud = CrudRoutes(
        keys.DL_FIELDS, what="download field", per_page=app[keys.SETTINGS].default_pagination
    )
    add_routes(
        app.router,
        [
            ("GET", "/api/dl_fields/", crud.list),
            ("POST", "/api/dl_fields/", crud.create),
            ("GET", "/api/dl_fields/{id}", crud.get),
            ("PATCH", "/api/dl_fields/{id}", crud.patch),
            ("PUT", "/api/dl_fields/{id}", crud.replace),
            ("DELETE", "/api/dl_fields/{id}", crud.delete),
        ],
    )
    declare(app, schemas.API)
