"""A local HTTP receiver for notification tests: records every request it gets and
answers with the statuses it is told (or never answers)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class Received:
    method: str
    path: str
    content_type: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, str] = field(default_factory=dict)


class Receiver:
    """``statuses`` are answered in turn (the last one repeats); ``hang`` never answers."""

    def __init__(self, statuses: tuple[int, ...] = (200,), *, hang: bool = False) -> None:
        self.got: list[Received] = []
        self.statuses = list(statuses)
        self.hang = hang
        self._arrived = asyncio.Condition()
        self._released = asyncio.Event()

    def release(self) -> None:
        """Lets hanging requests end (before the server closes)."""
        self._released.set()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        return app

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        got = Received(
            request.method, request.path, request.content_type, dict(request.headers), body
        )
        if request.content_type == "application/json":
            got.json = await request.json()
        elif request.content_type == "application/x-www-form-urlencoded":
            got.form = {k: str(v) for k, v in (await request.post()).items()}
        async with self._arrived:
            self.got.append(got)
            self._arrived.notify_all()
        if self.hang:
            await self._released.wait()
        status = self.statuses.pop(0) if len(self.statuses) > 1 else self.statuses[0]
        return web.Response(status=status)

    async def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        async def enough() -> None:
            async with self._arrived:
                await self._arrived.wait_for(lambda: len(self.got) >= count)

        await asyncio.wait_for(enough(), timeout)
        return self.got
