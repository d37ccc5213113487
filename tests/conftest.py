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


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (`make test`), each browser module runs on one worker, which
    starts its browser once (tests/browser/conftest.py), and the slowest tests (browser,
    `slow`) are handed out first, so no long one is left to end the run alone. The order is
    the same in every worker, as xdist requires; a serial run keeps the files' order."""
    if not hasattr(config, "workerinput"):  # not an xdist worker: the controller, or serial
        return
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group(item.nodeid.split("::")[0]))

    def slow(item: pytest.Item) -> bool:
        return any(item.get_closest_marker(name) is not None for name in ("browser", "slow"))

    items.sort(key=lambda item: not slow(item))  # stable: the files' order within each kind


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
