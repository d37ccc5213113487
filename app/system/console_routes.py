"""POST /api/system/terminal: a yt-dlp command line, its output streamed as SSE."""

from __future__ import annotations

import asyncio
import contextlib

from aiohttp import web

from app import keys
from app.core.openapi import ApiRoute, Raw, declare
from app.core.sse import EventStream
from app.core.web import add_routes, read_model
from app.system.schemas import ConsoleRequest
from app.workers.messages import Exited, Output


async def terminal(request: web.Request) -> web.StreamResponse:
    console = request.app[keys.CONSOLE]
    console.check_enabled()  # 403 before the body is read
    body = await read_model(request, ConsoleRequest)
    # 400 for what the policy refuses. In a thread: yt-dlp's parser looks up translations
    # on disk each time it is built.
    args = await asyncio.to_thread(console.arguments, body.command)
    events = EventStream(request)

    async def relay() -> None:
        # Leaving this loop early (the client went) closes run(), which stops the worker.
        async with contextlib.aclosing(console.run(args)) as messages:
            async for message in messages:
                match message:
                    case Output(stream=stream, line=line):
                        await events.send("output", {"type": stream, "line": line})
                    case Exited(code=code):
                        await events.send("close", {"exitcode": code})

    with contextlib.suppress(ConnectionError):
        return await events.serve(relay())
    return events.response


API = (
    ApiRoute(
        "POST",
        "/api/system/terminal",
        "Run yt-dlp with these arguments; `output` events, then `close` (console only)",
        {200: Raw("text/event-stream")},
        body=ConsoleRequest,
        tags=("system",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(app.router, [("POST", "/api/system/terminal", terminal)])
    declare(app, API)
