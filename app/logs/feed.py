"""New log lines for live readers: one bounded queue per reader, fed from the logging
handler, dropped when the reader goes.

Records come from any thread (work sent to an executor logs too), so lines reach the
queues through the loop's thread-safe call. A reader that does not keep up loses its
oldest lines, never the server's memory or anyone else's lines.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator
from typing import Any

from app.logs.lines import entry

QUEUE_LIMIT = 500  # lines waiting for one reader


class LogFeed:
    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._readers: set[asyncio.Queue[dict[str, Any] | None]] = set()
        self._closed = False
        self._loop_thread: int | None = None
        self._changed = asyncio.Condition()

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._loop_thread = threading.get_ident()

    @property
    def readers(self) -> int:
        """How many live readers there are (a reader that left is not counted)."""
        return len(self._readers)

    async def until_readers(self, count: int) -> None:
        """Returns once exactly ``count`` readers are connected (a reader that left is
        counted out as soon as its stream noticed)."""
        async with self._changed:
            await self._changed.wait_for(lambda: len(self._readers) == count)

    async def _announce(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    def publish(self, text: str) -> None:
        """Called by the logging handler, from any thread."""
        loop = self._loop
        if loop is None or self._closed or not self._readers:
            return
        if threading.get_ident() == self._loop_thread:
            self._deliver(text)  # logged on the loop: no need to wake it
            return
        with contextlib.suppress(RuntimeError):  # the loop has closed
            loop.call_soon_threadsafe(self._deliver, text)

    def _deliver(self, text: str) -> None:
        if not self._readers:
            return
        line = entry(text)
        for queue in self._readers:
            if queue.full():
                queue.get_nowait()  # the oldest line goes
            queue.put_nowait(line)

    @contextlib.asynccontextmanager
    async def reader(self) -> AsyncIterator[asyncio.Queue[dict[str, Any] | None]]:
        """A queue of new entries; ``None`` in it means the feed closed."""
        queue: asyncio.Queue[dict[str, Any] | None] = asyncio.Queue(QUEUE_LIMIT)
        if self._closed:
            queue.put_nowait(None)
        self._readers.add(queue)
        await self._announce()
        try:
            yield queue
        finally:
            self._readers.discard(queue)
            await asyncio.shield(self._announce())

    def close(self) -> None:
        """Ends every reader (at shutdown)."""
        self._closed = True
        for queue in self._readers:
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(None)
