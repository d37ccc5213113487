"""Server-sent events over an aiohttp streaming response, and knowing when the client left.

aiohttp tells a handler that its client went away only when a write fails, or by
cancelling every handler of the server (``handler_cancellation``), which would also cut
short handlers in the middle of a database write. A stream instead watches its own
connection: the transport is gone once the client closed it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Coroutine
from typing import Any

from aiohttp import web

HEARTBEAT_SECONDS = 15.0  # a comment line this often keeps proxies from closing an idle stream
GONE_POLL_SECONDS = 0.5


class EventStream:
    """One ``text/event-stream`` response."""

    def __init__(self, request: web.Request) -> None:
        self._request = request
        self.response = web.StreamResponse(
            headers={
                "Content-Type": "text/event-stream",
                "Cache-Control": "no-cache",
                "X-Accel-Buffering": "no",  # nginx: pass each event on at once
            }
        )

    async def open(self) -> None:
        await self.response.prepare(self._request)

    async def send(self, event: str, data: Any) -> None:
        text = json.dumps(data, separators=(",", ":"))
        await self.response.write(f"event: {event}\ndata: {text}\n\n".encode())

    async def heartbeat(self) -> None:
        await self.response.write(b": keep-alive\n\n")

    async def gone(self) -> None:
        """Returns once the client has closed the connection."""
        while True:
            transport = self._request.transport
            if transport is None or transport.is_closing():
                return
            await asyncio.sleep(GONE_POLL_SECONDS)

    async def serve(self, work: Coroutine[Any, Any, None]) -> web.StreamResponse:
        """Runs ``work`` (which sends the events) until it ends or the client goes; either
        way ``work`` is over (cancelled, its ``finally`` run) when this returns."""
        try:
            await self.open()
        except BaseException:
            work.close()
            raise
        tasks = {asyncio.ensure_future(work), asyncio.ensure_future(self.gone())}
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
        for result in results:
            if isinstance(result, Exception) and not isinstance(result, ConnectionError):
                raise result
        with contextlib.suppress(ConnectionError):
            await self.response.write_eof()
        return self.response
