"""Fixtures for live events and access: real WebSocket clients over loopback."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestClient

from app import keys
from app.realtime.wire import WireFeed
from app.settings import Settings

Client = TestClient[Any, Any]
Frame = dict[str, Any]
FRAME_TIMEOUT = 30.0  # generous: the machines are shared and noisy

USERNAME = "admin"
PASSWORD = "s3cret:pass>?"  # a colon, and bytes whose base64 needs "+" / "/" and padding


def basic(
    username: str = USERNAME,
    password: str = PASSWORD,
    *,
    urlsafe: bool = False,
    padded: bool = True,
) -> str:
    raw = f"{username}:{password}".encode()
    text = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(raw).decode()
    return text if padded else text.rstrip("=")


class LiveSocket:
    """A real ``/ws`` client that keeps every frame and waits for the ones a test needs."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.frames: list[Frame] = []

    async def receive(self, within: float = FRAME_TIMEOUT) -> Frame:
        message = await self.ws.receive(timeout=within)
        assert message.type is aiohttp.WSMsgType.TEXT, message
        frame: Frame = json.loads(message.data)
        self.frames.append(frame)
        return frame

    async def until(
        self, predicate: Callable[[Frame], bool], within: float = FRAME_TIMEOUT
    ) -> Frame:
        """Reads frames until one matches; the ones before it stay in ``frames``."""

        async def seek() -> Frame:
            while True:
                frame = await self.receive(within)
                if predicate(frame):
                    return frame

        return await asyncio.wait_for(seek(), within)

    async def send(self, event: str, data: Any = None) -> None:
        await self.ws.send_json({"event": event, "data": data})

    async def close(self) -> None:
        await self.ws.close()


def named(event: str, **fields: Any) -> Callable[[Frame], bool]:
    """Matches frames of one event whose payload has these fields."""

    def check(frame: Frame) -> bool:
        if frame["event"] != event:
            return False
        payload = frame["data"]["data"]
        return all(payload.get(k) == v for k, v in fields.items())

    return check


def about(uid: str, event: str | None = None) -> Callable[[Frame], bool]:
    """Matches frames about one item (the item itself, or ``item_moved``'s item)."""

    def check(frame: Frame) -> bool:
        if event is not None and frame["event"] != event:
            return False
        payload = frame["data"]["data"]
        item = payload.get("item", payload) if isinstance(payload, dict) else None
        return isinstance(item, dict) and item.get("_id") == uid

    return check


Connect = Callable[..., Awaitable[LiveSocket]]


@pytest.fixture
async def connect() -> AsyncIterator[Connect]:
    """``await connect(client)`` opens ``/ws`` and returns after its ``connected`` frame."""
    sockets: list[LiveSocket] = []

    async def open_socket(client: Client, path: str = "/ws", **kwargs: Any) -> LiveSocket:
        socket = LiveSocket(await client.ws_connect(path, **kwargs))
        sockets.append(socket)
        first = await socket.receive()
        assert first["event"] == "connected", first
        return socket

    yield open_socket
    for socket in sockets:
        await socket.close()


@pytest.fixture
def bus(client: Client) -> WireFeed:
    bus: WireFeed = client.app[keys.WIRE]
    return bus


@pytest.fixture
def auth_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"auth_username": USERNAME, "auth_password": PASSWORD})


@pytest.fixture
async def auth_client(
    auth_settings: Settings, make_client: Callable[[Settings], Awaitable[Client]]
) -> Client:
    return await make_client(auth_settings)
