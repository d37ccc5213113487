"""The console: yt-dlp command lines run in a worker, their output as it comes.

A command passes the same option policy as a download's options; its worker is the
pool's, confined like every other, and is stopped (with whatever it started) when the
command ends, when the client goes away and at shutdown.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator
from pathlib import Path

from app.core.errors import Forbidden
from app.workers.messages import Exited, Output
from app.workers.pool import Child, WorkerPool
from app.ytdlp.console import ConsoleJob, console_child
from app.ytdlp.options import screen_console


class Console:
    def __init__(
        self, pool: WorkerPool, download_path: Path, *, enabled: bool, allow_unsafe: bool
    ) -> None:
        self._pool = pool
        self._download_path = download_path
        self._enabled = enabled
        self._allow_unsafe = allow_unsafe
        self._running: set[Child] = set()

    @property
    def running(self) -> int:
        """Commands running now."""
        return len(self._running)

    def check_enabled(self) -> None:
        if not self._enabled:
            raise Forbidden("The console is disabled.")

    def arguments(self, command: str) -> list[str]:
        """The command's arguments, once the policy allowed them (``InvalidInput`` if not)."""
        self.check_enabled()
        return screen_console(command, allow_unsafe=self._allow_unsafe)

    async def run(self, args: list[str]) -> AsyncGenerator[Output | Exited, None]:
        """Output lines, then the exit code. Closing the iterator early stops the command."""
        job = ConsoleJob(args=args, cwd=str(self._download_path))
        child = await self._pool.spawn(console_child, job)
        self._running.add(child)
        try:
            ended = False
            async for message in child.messages():
                if isinstance(message, Output | Exited):
                    ended = ended or isinstance(message, Exited)
                    yield message
            if not ended:  # the worker died (killed, crashed) before it could say
                code = await child.wait()
                yield Exited(code if code is not None else -1)
        finally:
            self._running.discard(child)
            await asyncio.shield(self._end(child))

    async def _end(self, child: Child) -> None:
        await child.stop()  # never reused: yt-dlp's main leaves process-wide state behind
        self._pool.release(child)

    async def close(self) -> None:
        """Stops every running command (at shutdown)."""
        await asyncio.gather(*(child.stop() for child in list(self._running)))
