"""HTTP routes for /api/keys: create (the key is shown once), list, revoke. Admin only."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field

from app import keys
from app.access.middleware import principal_of
from app.access.permissions import Permission, Role
from app.access.store import ApiKey
from app.core.openapi import ApiRoute, Message, declare
from app.core.web import add_routes, int_id, read_model


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64)
    role: Role = Role.DOWNLOADER
    permissions: list[Permission] = Field(default_factory=list, max_length=len(Permission))


class KeyCreated(BaseModel):
    key: str = Field(description="The API key itself: shown this once, never again")
    item: ApiKey


async def list_keys(request: web.Request) -> web.Response:
    access = request.app[keys.ACCESS]
    return web.json_response([key.model_dump(mode="json") for key in access.all()])


async def create_key(request: web.Request) -> web.Response:
    body = await read_model(request, KeyRequest)
    access = request.app[keys.ACCESS]
    item, raw = await access.create(body.name, body.role, body.permissions, principal_of(request))
    created = KeyCreated(key=raw, item=item)
    return web.json_response(created.model_dump(mode="json"), status=201)


async def revoke_key(request: web.Request) -> web.Response:
    access = request.app[keys.ACCESS]
    key = access.by_id(int_id(request, "key"))
    await access.revoke(key)
    return web.json_response({"message": f"API key '{key.name}' revoked."})


API = (
    ApiRoute(
        "GET", "/api/keys", "List API keys (never the keys)", {200: list[ApiKey]}, tags=("keys",)
    ),
    ApiRoute(
        "POST",
        "/api/keys",
        "Create an API key with a role or a set of permissions; the answer shows it once",
        {201: KeyCreated},
        body=KeyRequest,
        tags=("keys",),
    ),
    ApiRoute(
        "DELETE",
        "/api/keys/{id}",
        "Revoke an API key",
        {200: Message},
        path_params={"id": int},
        tags=("keys",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/keys", list_keys),
            ("POST", "/api/keys", create_key),
            ("DELETE", "/api/keys/{id}", revoke_key),
        ],
    )
    declare(app, API)
