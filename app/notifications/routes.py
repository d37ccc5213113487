"""HTTP routes for /api/notifications: the CRUD kit's handlers, the event names, the test."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.crud import CrudRoutes
from app.core.openapi import declare
from app.core.web import add_routes
from app.notifications import schemas
from app.notifications.events import NotificationName


async def event_names(request: web.Request) -> web.Response:
    return web.json_response({"events": [name.value for name in NotificationName]})


async def send_test(request: web.Request) -> web.Response:
    results = await request.app[keys.NOTIFIER].test()
    answer = schemas.NotificationTestResults(
        results=[
            schemas.NotificationTestResult(
                id=target.id,
                name=target.name,
                delivered=delivery.delivered,
                attempts=delivery.attempts,
                error=delivery.error,
            )
            for target, delivery in results
        ]
    )
    return web.json_response(answer.model_dump(mode="json"))


def setup(app: web.Application) -> None:
    crud = CrudRoutes(
        keys.NOTIFICATIONS,
        what="notification target",
        per_page=app[keys.SETTINGS].default_pagination,
    )
    add_routes(
        app.router,
        [
            ("GET", "/api/notifications/", crud.list),
            ("POST", "/api/notifications/", crud.create),
            ("GET", "/api/notifications/events/", event_names),
            ("POST", "/api/notifications/test", send_test),
            ("GET", "/api/notifications/{id}", crud.get),
            ("PATCH", "/api/notifications/{id}", crud.patch),
            ("PUT", "/api/notifications/{id}", crud.replace),
            ("DELETE", "/api/notifications/{id}", crud.delete),
        ],
    )
    declare(app, schemas.API)
