"""A short-lived cache of extracted info, shared by concurrent requests for the same key.

Extraction takes seconds; a UI that previews a URL, then adds it, then tests a condition
on it would extract three times without this. Two requests for the same key while the
first is still extracting share one extraction (one task, awaited by both).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import time
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

TTL = 300.0
MAX_ENTRIES = 200  # infos can be large (formats, flat playlists): bound the memory

Extractor = Callable[[], Coroutine[Any, Any, dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class Cached:
    info: dict[str, Any]
    key: str
    hit: bool
    expires_at: float  # time.monotonic()


class InfoCache:
    def __init__(self, ttl: float = TTL, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl = ttl
        self._max = max_entries
        self._done: OrderedDict[str, tuple[float, dict[str, Any]]] = OrderedDict()
        self._running: dict[str, asyncio.Task[dict[str, Any]]] = {}

    @staticmethod
    def key(url: str, preset: str, args: str) -> str:
        text = json.dumps([url, preset, args])
        return hashlib.sha256(text.encode()).hexdigest()

    async def get(self, key: str, extract: Extractor, *, force: bool = False) -> Cached:
        now = time.monotonic()
        entry = self._done.get(key)
        if entry is not None and not force and entry[0] > now:
            return Cached(entry[1], key, True, entry[0])
        task = self._running.get(key)
        if task is None:
            task = asyncio.create_task(extract())
            self._running[key] = task
            task.add_done_callback(lambda done: self._settle(key, done))
        # Shielded: one caller going away must not cancel the extraction the others wait on.
        info = await asyncio.shield(task)
        stored = self._done.get(key)
        return Cached(info, key, False, stored[0] if stored else time.monotonic() + self.ttl)

    def _settle(self, key: str, task: asyncio.Task[dict[str, Any]]) -> None:
        self._running.pop(key, None)
        if task.cancelled() or task.exception() is not None:
            return  # failures are not cached: the next request tries again
        self._done[key] = (time.monotonic() + self.ttl, task.result())
        self._done.move_to_end(key)
        while len(self._done) > self._max:
            self._done.popitem(last=False)

    def describe(self, cached: Cached, preset: str, args: str) -> dict[str, Any]:
        """The ``_cached`` block of the seed."""
        left = max(0.0, cached.expires_at - time.monotonic())
        return {
            "status": "hit" if cached.hit else "miss",
            "preset": preset,
            "cli_args": args,
            "key": cached.key,
            "ttl": self.ttl,
            "ttl_left": round(left, 2),
            "expires": round(time.time() + left, 3),
        }

    async def close(self) -> None:
        tasks = list(self._running.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._running.clear()
        self._done.clear()
