"""yt-dlp-host's routes: tasks, their status and files, and its key calls.

Every route needs an ``X-API-Key`` (401 without a valid one); ``PERMISSIONS`` says which
permission each route needs beyond that (403 without it), and the route-table test reads
it. Errors are ``{"error", "message"}``: its client reads ``error``, and ``message`` on 404.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from pydantic import BaseModel

from app import keys
from app.access.middleware import API_KEY_HEADER, PRINCIPAL, principal_of, route_of
from app.access.permissions import Permission, Principal, role_for
from app.access.service import SHOWN_CHARACTERS
from app.access.store import ApiKey
from app.compat.ytdlp_host import info
from app.compat.ytdlp_host.models import TASKS, KeyRequest, PermissionsRequest, TaskType
from app.compat.ytdlp_host.tasks import INFO_FILE
from app.core.errors import AppError, Forbidden, InvalidInput
from app.core.limits import load_json
from app.core.openapi import ApiRoute, Raw, declare
from app.core.proxies import client_address
from app.core.web import read_object
from app.settings import Settings

P = Permission
# None: any valid key (the seed: "the task must be associated with the API key used").
PERMISSIONS: Mapping[tuple[str, str], Permission | None] = {
    ("POST", "/get_video"): P.GET_VIDEO,
    ("POST", "/get_audio"): P.GET_AUDIO,
    ("POST", "/get_live_video"): P.GET_LIVE_VIDEO,
    ("POST", "/get_live_audio"): P.GET_LIVE_AUDIO,
    ("POST", "/get_info"): P.GET_INFO,
    ("GET", "/status/{task_id}"): None,
    ("GET", "/files/{task_id}/{name}"): None,
    ("POST", "/check_permissions"): None,
    ("POST", "/create_key"): P.CREATE_KEY,
    ("DELETE", "/delete_key/{name}"): P.DELETE_KEY,
    ("GET", "/get_keys"): P.GET_KEYS,
    ("GET", "/get_key/{name}"): P.GET_KEY,
}
UNLISTED = P.ADMIN  # a route missing from the table (the route-table test catches it)


def key_auth(settings: Settings) -> Middleware:
    @web.middleware
    async def check_key(request: web.Request, handler: Handler) -> web.StreamResponse:
        access = request.config_dict[keys.ACCESS]
        address = client_address(request, settings.trusted_proxies)
        principal = access.check(request.headers.get(API_KEY_HEADER), address)
        request[PRINCIPAL] = principal
        route = route_of(request, settings.base_path)
        if route is not None:
            needed = PERMISSIONS.get(route, UNLISTED)
            if needed is not None and not principal.allows(needed):
                raise Forbidden("Insufficient permissions")
        return await handler(request)

    return check_key


# -- tasks ----------------------------------------------------------------------------------


def _task_route(task_type: TaskType) -> Handler:
    model = TASKS[task_type]

    async def create(request: web.Request) -> web.Response:
        body = model.model_validate(await read_object(request))  # errors: 400 {"error"}
        principal = principal_of(request)
        request.config_dict[keys.ACCESS].take_token(principal)
        task = await request.config_dict[keys.YTDLP_HOST].create(task_type, body, principal)
        return web.json_response({"status": "waiting", "task_id": task.id})

    return create


async def status(request: web.Request) -> web.Response:
    tasks = request.config_dict[keys.YTDLP_HOST]
    task = tasks.get(request.match_info["task_id"], principal_of(request))
    return web.json_response(await tasks.status(task))


async def files(request: web.Request) -> web.StreamResponse:
    tasks = request.config_dict[keys.YTDLP_HOST]
    task = tasks.get(request.match_info["task_id"], principal_of(request))
    name = request.match_info["name"]
    path = await tasks.file(task, name)
    if name != INFO_FILE:
        return web.FileResponse(path)
    data = await asyncio.to_thread(_read_json, path)
    return web.json_response(info.answer(data, request.query.keys()))


def _read_json(path: Path) -> Any:
    data = load_json(path.read_bytes(), "info.json")
    if not isinstance(data, dict):
        raise InvalidInput("info.json is not an object.")
    return data


# -- keys -----------------------------------------------------------------------------------


def _permissions(names: list[str]) -> frozenset[Permission]:
    try:
        return frozenset(Permission(name) for name in names)
    except ValueError:
        known = ", ".join(p.value for p in Permission)
        raise InvalidInput(f"Unknown permission; known permissions: {known}") from None


def _shown(key: ApiKey) -> str:
    # Keys are stored hashed: lists show their first characters, never the whole key.
    return key.prefix + "…" if len(key.prefix) > SHOWN_CHARACTERS else key.prefix


def _described(key: ApiKey) -> dict[str, Any]:
    return {"key": _shown(key), "name": key.name, "permissions": sorted(key.granted)}


async def create_key(request: web.Request) -> web.Response:
    body = KeyRequest.model_validate(await read_object(request))
    wanted = _permissions(body.permissions)
    access = request.config_dict[keys.ACCESS]
    key, raw = await access.create(body.name, role_for(wanted), wanted, principal_of(request))
    answer = {"message": "API key created successfully", "key": raw, "name": key.name}
    return web.json_response(answer, status=201)


async def delete_key(request: web.Request) -> web.Response:
    access = request.config_dict[keys.ACCESS]
    key = access.by_name(request.match_info["name"])
    await access.revoke(key)
    return web.json_response({"name": key.name, "message": "API key deleted successfully"})


async def get_keys(request: web.Request) -> web.Response:
    access = request.config_dict[keys.ACCESS]
    return web.json_response({key.name: _described(key) for key in access.all()})


async def get_key(request: web.Request) -> web.Response:
    key = request.config_dict[keys.ACCESS].by_name(request.match_info["name"])
    answer = {"message": "API key get successfully", "name": key.name, "key": _shown(key)}
    return web.json_response(answer)


async def check_permissions(request: web.Request) -> web.Response:
    body = PermissionsRequest.model_validate(await read_object(request))
    principal: Principal = principal_of(request)
    try:
        wanted = _permissions(body.permissions)
    except AppError:
        raise Forbidden("Insufficient permissions") from None
    if not wanted <= principal.permissions:
        raise Forbidden("Insufficient permissions")
    return web.json_response({"message": "Permissions granted"})


# -- the table ------------------------------------------------------------------------------


class TaskCreated(BaseModel):
    status: str
    task_id: str


class Failure(BaseModel):
    error: str
    message: str


def _task_api(task_type: TaskType, summary: str) -> ApiRoute:
    return ApiRoute(
        "POST",
        f"/{task_type.value}",
        summary,
        {200: TaskCreated},
        body=TASKS[task_type],
        errors=Failure,
        tags=("yt-dlp-host",),
    )


_JSON = Raw("application/json")
API = (
    _task_api(TaskType.GET_VIDEO, "Download a video (formats, a clip, the container)"),
    _task_api(TaskType.GET_AUDIO, "Download audio (format, a clip, the codec)"),
    _task_api(TaskType.GET_LIVE_VIDEO, "Record a live stream's video from start for duration"),
    _task_api(TaskType.GET_LIVE_AUDIO, "Record a live stream's audio from start for duration"),
    _task_api(TaskType.GET_INFO, "Write the video's info.json"),
    ApiRoute("GET", "/status/{task_id}", "A task's status", {200: _JSON}, errors=Failure),
    ApiRoute(
        "GET",
        "/files/{task_id}/{name}",
        "A task's file; info.json?field&... filters it, ?qualities lists formats",
        {200: Raw()},
        errors=Failure,
    ),
    ApiRoute("POST", "/check_permissions", "200 if the key has them all", body=PermissionsRequest),
    ApiRoute("POST", "/create_key", "Create a key", {201: _JSON}, body=KeyRequest),
    ApiRoute("DELETE", "/delete_key/{name}", "Delete a key", {200: _JSON}),
    ApiRoute("GET", "/get_keys", "Every key (shown by its first characters)", {200: _JSON}),
    ApiRoute("GET", "/get_key/{name}", "One key (shown by its first characters)", {200: _JSON}),
)


def routes(app: web.Application) -> None:
    router = app.router
    for task_type in TaskType:
        router.add_post(f"/{task_type.value}", _task_route(task_type))
    router.add_get("/status/{task_id}", status)
    router.add_get("/files/{task_id}/{name}", files)
    router.add_post("/check_permissions", check_permissions)
    router.add_post("/create_key", create_key)
    router.add_delete("/delete_key/{name}", delete_key)
    router.add_get("/get_keys", get_keys)
    router.add_get("/get_key/{name}", get_key)
    declare(app, API)
