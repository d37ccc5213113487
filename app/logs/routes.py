"""HTTP routes for the service's own log: pages of the file and a live stream (SSE)."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from aiohttp import web

from app import keys
from app.core.doors import socket_door
from app.core.openapi import ApiRoute, Raw, declare
from app.core.sse import HEARTBEAT_SECONDS, EventStream
from app.core.web import add_routes
from app.logs.schemas import LogPage, LogQuery
from app.logs.service import DEFAULT_LIMIT


async def page(request: web.Request) -> web.Response:
    query = LogQuery.model_validate(dict(request.query))
    logs = request.app[keys.LOGS]
    answer = await logs.page(query.offset or 0, query.limit or DEFAULT_LIMIT)
    return web.json_response(answer)


async def stream(request: web.Request) -> web.StreamResponse:
    logs = request.app[keys.LOGS]
    await logs.check_stream()
    events = EventStream(request)

    async def relay(lines: asyncio.Queue[dict[str, Any] | None]) -> None:
        while True:
            try:
                line = await asyncio.wait_for(lines.get(), HEARTBEAT_SECONDS)
            except TimeoutError:
                await events.heartbeat()
                continue
            if line is None:
                return
            await events.send("log_lines", line)

    # Subscribed before the answer starts: a line logged once the client has it is seen.
    async with logs.feed.reader() as lines:
        with contextlib.suppress(ConnectionError):
            return await events.serve(relay(lines))
    return events.response


_TAGS = ("logs",)
API = (
    ApiRoute(
        "GET",
        "/api/logs",
        "Recent log entries, newest first (404 when file logging is off)",
        {200: LogPage},
        query=LogQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/logs/stream",
        "New log lines as server-sent `log_lines` events",
        {200: Raw("text/event-stream")},
        tags=_TAGS,
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [("GET", "/api/logs", page), ("GET", "/api/logs/stream", socket_door(stream))],
    )
    declare(app, API)
