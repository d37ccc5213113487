"""HTTP routes for /api/tasks: the CRUD kit's handlers, the multi-task POST, run now,
inspect, mark and metadata."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.crud import CrudRoutes
from app.core.openapi import declare
from app.core.web import add_routes, int_id, read_json, read_object
from app.tasks import schemas
from app.tasks.models import TaskModel


def _task(request: web.Request) -> TaskModel:
    return request.app[keys.TASKS].get(int_id(request, "task"))


async def create(request: web.Request) -> web.Response:
    created = await request.app[keys.TASKS].create_any(await read_json(request))
    if isinstance(created, list):
        return web.json_response([task.model_dump(mode="json") for task in created])
    return web.json_response(created.model_dump(mode="json"))


async def run_now(request: web.Request) -> web.Response:
    result = await request.app[keys.TASK_TOOLS].run_now(_task(request))
    return web.json_response(
        {
            "status": result.status,
            "message": result.message,
            "found": result.found,
            "queued": result.queued,
        }
    )


async def inspect(request: web.Request) -> web.Response:
    body = schemas.InspectRequest.model_validate(await read_object(request))
    status, answer = await request.app[keys.TASK_TOOLS].inspect(
        body.url, preset=body.preset, handler=body.handler, static_only=body.static_only
    )
    return web.json_response(answer, status=status)


async def mark(request: web.Request) -> web.Response:
    message = await request.app[keys.TASK_TOOLS].mark(_task(request))
    return web.json_response({"message": message})


async def unmark(request: web.Request) -> web.Response:
    message = await request.app[keys.TASK_TOOLS].unmark(_task(request))
    return web.json_response({"message": message})


async def metadata(request: web.Request) -> web.Response:
    answer = await request.app[keys.TASK_METADATA].write(_task(request))
    return web.json_response(answer)


def setup(app: web.Application) -> None:
    crud = CrudRoutes(keys.TASKS, what="task", per_page=app[keys.SETTINGS].default_pagination)
    add_routes(
        app.router,
        [
            ("GET", "/api/tasks", crud.list),
            ("POST", "/api/tasks", create),
            ("POST", "/api/tasks/inspect", inspect),
            ("GET", "/api/tasks/{id}", crud.get),
            ("PATCH", "/api/tasks/{id}", crud.patch),
            ("PUT", "/api/tasks/{id}", crud.replace),
            ("DELETE", "/api/tasks/{id}", crud.delete),
            ("POST", "/api/tasks/{id}/run", run_now),
            ("POST", "/api/tasks/{id}/mark", mark),
            ("DELETE", "/api/tasks/{id}/mark", unmark),
            ("POST", "/api/tasks/{id}/metadata", metadata),
        ],
    )
    declare(app, schemas.API)
