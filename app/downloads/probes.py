"""Probe children kept warm: they hold an item's extracted info, ready to download it at once."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

from app.downloads.intake import Intake
from app.workers.pool import Child

WARM_SECONDS = 30.0


class WarmProbes:
    def __init__(
        self, intake: Intake, limit: int, spawn: Callable[[Awaitable[Any]], object]
    ) -> None:
        self._intake = intake
        self._limit = limit
        self._spawn = spawn
        self._warm: dict[str, tuple[Child, float]] = {}

    def keep(self, uid: str, child: Child) -> None:
        """Keeps a probe child for its item, at most ``limit`` of them at once."""
        self._warm[uid] = (child, time.monotonic())
        while len(self._warm) > self._limit:
            self.dismiss(next(iter(self._warm)))

    def take(self, uid: str) -> Child | None:
        """The item's warm child, now the caller's to run or dismiss."""
        return self._warm.pop(uid, (None, 0.0))[0]

    def dismiss(self, uid: str) -> None:
        warm = self._warm.pop(uid, None)
        if warm is not None:
            self._spawn(self._intake.dismiss(warm[0]))

    def dismiss_stale(self, everything: bool = False) -> None:
        # Extracted info goes stale (signed media URLs expire): keep it a short while only.
        now = time.monotonic()
        for uid, (_, since) in list(self._warm.items()):
            if now - since > WARM_SECONDS or everything:
                self.dismiss(uid)

    def close(self) -> list[Awaitable[None]]:
        """The dismissals of every warm child, for the caller to await."""
        children = [child for child, _ in self._warm.values()]
        self._warm.clear()
        return [self._intake.dismiss(child) for child in children]
