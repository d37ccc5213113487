"""ffmpeg runs, shared and bounded: one run per distinct output, a few at a time, cached.

Everyone asking for the same output (a segment, a converted subtitle) while it is being
made waits on the same run; a finished output stays in a small LRU cache bounded in bytes.
A run is abandoned, and its ffmpeg killed, when the last one waiting for it leaves (the
viewer closed the page or seeked elsewhere), including while it waits for a slot.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any

from app.core.errors import AppError
from app.player.probe import MediaError

log = logging.getLogger(__name__)

FFMPEG = "ffmpeg"
POLL_SECONDS = 0.25  # how often a waiter looks whether its client is still connected


class ClientGone(AppError):
    """The client disconnected while its output was being made (nobody reads the answer)."""

    status = 499


@dataclass(slots=True)
class RunStats:
    """What tests and benchmarks watch: counts, never timings."""

    started: int = 0  # ffmpeg processes started
    running: int = 0
    peak: int = 0  # the most ever running at once
    killed: int = 0  # runs ended because nobody waited for them any more
    cache_hits: int = 0


class ByteCache:
    """An LRU of byte strings, bounded by their total size."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._size = 0
        self._items: OrderedDict[Hashable, bytes] = OrderedDict()

    def get(self, key: Hashable) -> bytes | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Hashable, value: bytes) -> None:
        if len(value) > self._limit // 4:
            return  # one huge output would push out everything else
        old = self._items.pop(key, None)
        self._size += len(value) - (len(old) if old is not None else 0)
        self._items[key] = value
        while self._size > self._limit:
            _, dropped = self._items.popitem(last=False)
            self._size -= len(dropped)


@dataclass(slots=True)
class _Flight:
    task: asyncio.Task[bytes]
    waiters: int = 0


class Runs:
    def __init__(self, max_processes: int, cache_bytes: int) -> None:
        self._slots = asyncio.Semaphore(max_processes)
        self._cache = ByteCache(cache_bytes)
        self._flights: dict[Hashable, _Flight] = {}
        self._changed = asyncio.Condition()
        self.stats = RunStats()

    async def output(
        self,
        key: Hashable,
        make_args: Callable[[], Awaitable[Sequence[str]]],
        gone: Callable[[], bool] = lambda: False,
    ) -> bytes:
        """ffmpeg's stdout for the arguments ``make_args`` builds, made once per ``key``.

        ``gone`` says whether the caller's client has left; then ``ClientGone`` is raised.
        """
        cached = self._cache.get(key)
        if cached is not None:
            self.stats.cache_hits += 1
            return cached
        flight = self._flights.get(key)
        if flight is None:
            flight = _Flight(asyncio.create_task(self._produce(key, make_args)))
            flight.task.add_done_callback(_retrieve)
            self._flights[key] = flight
        flight.waiters += 1
        try:
            while True:
                done, _ = await asyncio.wait({flight.task}, timeout=POLL_SECONDS)
                if done:
                    return flight.task.result()
                if gone():
                    raise ClientGone("The client has gone.")
        finally:
            flight.waiters -= 1
            if flight.waiters == 0 and not flight.task.done():
                flight.task.cancel()
                # Gone at once: a request for the same output from now on starts afresh
                # rather than waiting on a run that is being killed.
                self._forget(key, flight.task)

    async def wait_until(self, predicate: Callable[[RunStats], bool]) -> None:
        """Returns once ``predicate(stats)`` holds (tests await this instead of sleeping)."""
        async with self._changed:
            await self._changed.wait_for(lambda: predicate(self.stats))

    async def close(self) -> None:
        flights = list(self._flights.values())
        for flight in flights:
            flight.task.cancel()
        await asyncio.gather(*(f.task for f in flights), return_exceptions=True)

    async def _produce(
        self, key: Hashable, make_args: Callable[[], Awaitable[Sequence[str]]]
    ) -> bytes:
        try:
            args = await make_args()
            async with self._slots:
                data = await self._ffmpeg(args)
            self._cache.put(key, data)
            return data
        finally:
            self._forget(key, asyncio.current_task())

    def _forget(self, key: Hashable, task: asyncio.Task[Any] | None) -> None:
        flight = self._flights.get(key)
        if flight is not None and flight.task is task:
            del self._flights[key]

    async def _ffmpeg(self, args: Sequence[str]) -> bytes:
        process = await asyncio.create_subprocess_exec(
            FFMPEG,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        await self._count(started=1, running=1)
        try:
            out, err = await process.communicate()
        except asyncio.CancelledError:
            process.kill()
            await process.wait()
            self.stats.killed += 1
            raise
        finally:
            await self._count(running=-1)
        if process.returncode != 0:
            log.warning("ffmpeg %s failed: %s", " ".join(args), err.decode(errors="replace")[-500:])
            raise MediaError("ffmpeg could not make this segment.")
        return out

    async def _count(self, *, started: int = 0, running: int = 0) -> None:
        stats = self.stats
        stats.started += started
        stats.running += running
        stats.peak = max(stats.peak, stats.running)
        async with self._changed:
            self._changed.notify_all()


def _retrieve(task: asyncio.Task[bytes]) -> None:
    # A run whose last waiter left as it failed: its error was logged, nobody reads it.
    if not task.cancelled():
        task.exception()
