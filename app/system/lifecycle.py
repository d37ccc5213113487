"""The process's own life as the API sees it: when it started, and a clean stop asked
for through the API (``POST /api/system/shutdown``, native mode only)."""

from __future__ import annotations

import asyncio
import time


class Lifecycle:
    def __init__(self, *, native: bool) -> None:
        self.native = native
        self.started = time.time()
        self._stop = asyncio.Event()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def request_stop(self) -> None:
        """Asks the runner (``app.run``) to stop serving and close everything."""
        self._stop.set()

    async def wait_for_stop(self) -> None:
        await self._stop.wait()
