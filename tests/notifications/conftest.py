"""Receivers on loopback for the notification tests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from aiohttp.test_utils import TestServer
from pytest_aiohttp import AiohttpServer

from tests.notifications.receiver import Receiver

MakeReceiver = Callable[..., Awaitable[tuple[Receiver, str]]]


@pytest.fixture
async def make_receiver(aiohttp_server: AiohttpServer) -> AsyncIterator[MakeReceiver]:
    """A receiver and its base URL (``http://127.0.0.1:port``)."""
    made: list[Receiver] = []

    async def make(*statuses: int, **options: Any) -> tuple[Receiver, str]:
        receiver = Receiver(statuses or (200,), **options)
        made.append(receiver)
        server: TestServer = await aiohttp_server(receiver.app())
        return receiver, str(server.make_url("")).rstrip("/")

    yield make
    for receiver in made:
        receiver.release()
