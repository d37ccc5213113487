"""A bounded FIFO of notices that drops its oldest entry when full, and can be awaited."""

from __future__ import annotations

import asyncio
import collections
import logging

from app.notifications.events import Notice

log = logging.getLogger("app.notifications.outbox")


class Box:
    def __init__(self, size: int, what: str) -> None:
        self._items: collections.deque[Notice] = collections.deque()
        self._size = size
        self._what = what
        self._ready = asyncio.Event()
        self.dropped = 0

    def put(self, notice: Notice) -> None:
        if len(self._items) >= self._size:
            old = self._items.popleft()
            self.dropped += 1
            log.warning("%s is full: dropped a %s notice", self._what, old.name.value)
        self._items.append(notice)
        self._ready.set()

    async def get(self) -> Notice:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def take(self, most: int) -> list[Notice]:
        """Up to ``most`` notices, the oldest first, without waiting."""
        return [self._items.popleft() for _ in range(min(most, len(self._items)))]

    def __len__(self) -> int:
        return len(self._items)
