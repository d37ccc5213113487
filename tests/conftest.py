"""Shared fixtures: settings in a temporary folder, the real app over loopback HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app import keys
from app.core.wire import Event
from app.realtime.wire import WireFeed
from app.server import create_app
from app.settings import Settings
from app.workers.pool import WorkerPool
from app.ytdlp.jobs import PRELOAD
from tests.fixtures.pytest_plugin import enable_plugin

enable_plugin()  # before any forkserver starts: its children find the fixture extractor

pytest_plugins = ["tests.fixtures.pytest_plugin"]

EVENT_TIMEOUT = 60.0  # generous: the machines are shared and noisy


class EventLog:
    """Records every event on a bus; tests await the one they need instead of sleeping."""

    def __init__(self, bus: WireFeed) -> None:
        self.events: list[Event] = []
        self._changed = asyncio.Condition()
        self._unsubscribe = bus.subscribe(self._record)

    def _record(self, event: Event) -> None:
        self.events.append(event)
        asyncio.get_running_loop().create_task(self._notify())

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    async def wait_for(
        self, predicate: Callable[[Event], bool], timeout: float = EVENT_TIMEOUT
    ) -> Event:
        async def seek() -> Event:
            seen = 0
            async with self._changed:
                while True:
                    for event in self.events[seen:]:
                        if predicate(event):
                            return event
                    seen = len(self.events)
                    await self._changed.wait()

        return await asyncio.wait_for(seek(), timeout)

    def names(self, uid: str | None = None) -> list[str]:
        return [e.event.value for e in self.events if uid is None or e.item_id == uid]

    def close(self) -> None:
        self._unsubscribe()


def make_settings(data: Path, **overrides: Any) -> Settings:
    """Settings with every folder under ``data``.

    The fixture site listens on loopback, which downloads may not reach by default: tests
    allow internal URLs unless they override it to prove the default.
    """
    values: dict[str, Any] = {
        "config_path": data / "config",
        "download_path": data / "downloads",
        "temp_path": data / "tmp",
        "max_workers": 2,
        "allow_internal_urls": True,
    }
    return Settings(**{**values, **overrides})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


Client = TestClient[web.Request, web.Application]
MakeClient = Callable[[Settings], Awaitable[Client]]


@pytest.fixture
def make_client(aiohttp_client: AiohttpClient) -> MakeClient:
    """Starts the real app with the given settings on a loopback port."""

    async def make(settings: Settings) -> Client:
        return await aiohttp_client(create_app(settings))

    return make


@pytest.fixture
async def client(settings: Settings, make_client: MakeClient) -> Client:
    return await make_client(settings)


MakePool = Callable[..., Awaitable[WorkerPool]]


@pytest.fixture
async def make_pool() -> AsyncIterator[MakePool]:
    """Starts worker pools with the given options; every one is closed after the test."""
    pools: list[WorkerPool] = []

    async def make(**options: Any) -> WorkerPool:
        pool = WorkerPool(PRELOAD, **options)
        await pool.start_server()
        pools.append(pool)
        return pool

    yield make
    for pool in pools:
        await pool.close()


@pytest.fixture
def events(client: Client) -> EventLog:
    return EventLog(client.app[keys.WIRE])
