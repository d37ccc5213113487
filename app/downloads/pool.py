"""Starts warm child processes and talks to them without blocking the event loop.

Children are forked by multiprocessing's forkserver, which has imported
``app.downloads.warm`` (and with it yt-dlp). The forkserver is the standard library's one
per process; this pool owns its start-up and every child it starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import AsyncIterator, Callable
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

log = logging.getLogger(__name__)

Message = tuple[str, Any]
CANCEL_GRACE = 0.5  # seconds between SIGINT and SIGKILL


class Child:
    """One running child: its messages as an async stream, its exit, and its cancel."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.pid = process.pid  # kept: a closed Process object refuses every question
        self._conn = conn
        self._closed = False
        self._loop = asyncio.get_running_loop()
        self._messages: asyncio.Queue[Message | None] = asyncio.Queue()
        self._exited = self._loop.create_future()
        self._loop.add_reader(conn.fileno(), self._on_readable)
        self._loop.add_reader(process.sentinel, self._on_exit)

    def _on_readable(self) -> None:
        try:
            while self._conn.poll():
                self._messages.put_nowait(self._conn.recv())
        except (EOFError, OSError):
            self._loop.remove_reader(self._conn.fileno())
            self._messages.put_nowait(None)

    def _on_exit(self) -> None:
        self._loop.remove_reader(self.process.sentinel)
        if not self._exited.done():
            self._exited.set_result(self.process.exitcode)

    @property
    def exited(self) -> bool:
        return self._exited.done()

    def send(self, message: Message) -> None:
        """A command to a child that waits for one (a probe offering its handoff)."""
        # If it has gone, its messages end, and whoever follows them sees that.
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(message)

    async def messages(self) -> AsyncIterator[Message]:
        while (message := await self._messages.get()) is not None:
            yield message

    async def wait(self) -> int | None:
        code: int | None = await self._exited
        self._close()
        return code

    def signal_group(self, signum: int) -> None:
        pid = self.pid
        if pid is None or self._exited.done():
            return
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            # The child has not called setsid() yet: signal it alone.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    async def stop(self) -> None:
        """SIGINT to the child's process group, SIGKILL after a short grace."""
        if self._closed:
            return
        self.signal_group(signal.SIGINT)
        try:
            await asyncio.wait_for(asyncio.shield(self._exited), CANCEL_GRACE)
        except TimeoutError:
            self.signal_group(signal.SIGKILL)
            await self._exited
        # ffmpeg and friends share the group: make sure none outlives the child.
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        self._close()

    def _close(self) -> None:
        if self._closed or not self._exited.done():
            return
        self._closed = True
        if not self._conn.closed:
            self._loop.remove_reader(self._conn.fileno())
            self._conn.close()
        with contextlib.suppress(ValueError):
            self.process.close()


class WorkerPool:
    def __init__(self, preload: str = "app.downloads.warm") -> None:
        self._ctx = multiprocessing.get_context("forkserver")
        self._ctx.set_forkserver_preload([preload])
        self._children: set[Child] = set()

    async def start_server(self) -> None:
        """Starts the forkserver (and its yt-dlp import) off the loop, ahead of need."""
        await asyncio.get_running_loop().run_in_executor(None, forkserver.ensure_running)

    async def spawn(self, target: Callable[[Any, Connection], None], job: Any) -> Child:
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(target=target, args=(job, theirs), daemon=True)
        try:
            await asyncio.get_running_loop().run_in_executor(None, process.start)
        finally:
            theirs.close()  # the child holds its own copy; EOF arrives when it exits
        child = Child(process, ours)
        self._children.add(child)
        return child

    def release(self, child: Child) -> None:
        self._children.discard(child)

    def pids(self) -> list[int]:
        """Process ids of the children still running (for tests and diagnostics)."""
        return [c.pid for c in self._children if c.pid is not None and not c.exited]

    async def close(self) -> None:
        children = list(self._children)
        await asyncio.gather(*(child.stop() for child in children), return_exceptions=True)
        self._children.clear()
