"""/socket.io/ with python-socketio's real client: the same events and commands as /ws."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import socketio

from app import keys
from app.core.wire import EventName
from app.settings import Settings
from tests.realtime.conftest import FRAME_TIMEOUT, USERNAME, Client, basic

Frame = tuple[str, dict[str, Any]]  # event name, envelope


class SocketIOClient:
    """A python-socketio client that records every event it receives."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.frames: list[Frame] = []
        self._arrived = asyncio.Event()
        self.sio.on("*", self._record)

    async def _record(self, event: str, data: Any = None) -> None:
        self.frames.append((event, data))
        self._arrived.set()

    async def until(self, event: str, *, skip: int = 0, **fields: Any) -> dict[str, Any]:
        """The first matching event after ``skip`` earlier matches."""

        async def seek() -> dict[str, Any]:
            seen = 0
            matches = 0
            while True:
                for name, envelope in self.frames[seen:]:
                    payload = envelope.get("data") or {}
                    if name == event and all(payload.get(k) == v for k, v in fields.items()):
                        matches += 1
                        if matches > skip:
                            return envelope
                seen = len(self.frames)
                self._arrived.clear()
                await self._arrived.wait()

        return await asyncio.wait_for(seek(), FRAME_TIMEOUT)


Open = Callable[..., Awaitable[SocketIOClient]]


@pytest.fixture
async def open_sio() -> AsyncIterator[Open]:
    clients: list[SocketIOClient] = []

    async def open_client(client: Client, base_path: str = "", **kwargs: Any) -> SocketIOClient:
        sio_client = SocketIOClient()
        clients.append(sio_client)
        url = str(client.make_url("/")).rstrip("/")
        await sio_client.sio.connect(
            url, socketio_path=f"{base_path}/socket.io", wait_timeout=10, **kwargs
        )
        await sio_client.until("connected")
        return sio_client

    yield open_client
    for sio_client in clients:
        await sio_client.sio.disconnect()


# (Polling alone works too, but python-socketio's client then waits a ping interval to leave.)
@pytest.mark.parametrize("transports", [["websocket"], ["polling", "websocket"]])
async def test_socketio_clients_get_connected_then_bus_events(
    client: Client, open_sio: Open, transports: list[str]
) -> None:
    sio_client = await open_sio(client, transports=transports)
    connected = sio_client.frames[0]
    assert connected[0] == "connected"
    assert isinstance(connected[1]["data"]["sid"], str)
    event = client.app[keys.WIRE].emit(
        EventName.ITEM_ADDED, {"_id": "i1", "title": "T"}, title="Item Added", message="m"
    )
    envelope = await sio_client.until("item_added", _id="i1")
    assert envelope == event.envelope()


async def test_socketio_and_ws_share_the_bus_and_the_order(client: Client, open_sio: Open) -> None:
    sio_client = await open_sio(client, transports=["websocket"])
    ws = await client.ws_connect("/ws")
    try:
        bus = client.app[keys.WIRE]
        sent = [bus.emit(EventName.LOG_INFO, {"n": n}, message=str(n)) for n in range(20)]
        await sio_client.until("log_info", n=19)
        ws_frames = [await ws.receive_json(timeout=FRAME_TIMEOUT) for _ in range(21)]
    finally:
        await ws.close()
    sio_ids = [envelope["id"] for name, envelope in sio_client.frames if name == "log_info"]
    ws_ids = [frame["data"]["id"] for frame in ws_frames if frame["event"] == "log_info"]
    assert sio_ids == ws_ids == [event.id for event in sent]


async def test_socketio_commands_answer_like_ws(client: Client, open_sio: Open) -> None:
    sio_client = await open_sio(client, transports=["websocket"])
    await sio_client.sio.emit("add_url", {"preset": "default"})
    error = await sio_client.until("log_error")
    assert (error["title"], error["message"]) == ("Invalid request", "No URL provided.")
    await sio_client.sio.emit("item_cancel", "nope")
    error = await sio_client.until("log_error", skip=1)
    assert (error["title"], error["message"]) == ("Cancel failed", "Item 'nope' was not found.")
    await sio_client.sio.emit("no_such_event", {})
    error = await sio_client.until("log_error", skip=2)
    assert error["message"] == "Unknown event 'no_such_event'."


async def test_socketio_packets_too_deep_get_an_error_and_the_socket_stays(
    client: Client, open_sio: Open
) -> None:
    sio_client = await open_sio(client, transports=["websocket"])
    deep: Any = "url"
    for _ in range(40):
        deep = [deep]
    await sio_client.sio.emit("add_url", {"url": deep})
    error = await sio_client.until("log_error")
    assert "nests deeper than" in error["message"]
    await sio_client.sio.emit("add_url", json.loads("[" * 33 + "1" + "]" * 33))
    error = await sio_client.until("log_error", skip=1)
    assert "nests deeper than" in error["message"]
    await sio_client.sio.emit("item_cancel", "nope")
    error = await sio_client.until("log_error", skip=2)
    assert error["message"] == "Item 'nope' was not found."
    live = await (await client.get("/api/history/live")).json()
    assert live["queue"] == {}  # nothing was added


async def test_socketio_under_a_base_path(
    settings: Settings,
    make_client: Callable[[Settings], Awaitable[Client]],
    open_sio: Open,
) -> None:
    client = await make_client(settings.model_copy(update={"base_path": "/tube"}))
    sio_client = await open_sio(client, base_path="/tube", transports=["websocket"])
    ws = await client.ws_connect("/tube/ws")
    try:
        first = await ws.receive_json(timeout=FRAME_TIMEOUT)
        assert first["event"] == "connected"
    finally:
        await ws.close()
    assert sio_client.frames[0][0] == "connected"


async def test_socketio_needs_credentials_when_auth_is_on(
    auth_client: Client, open_sio: Open
) -> None:
    with pytest.raises(socketio.exceptions.ConnectionError):
        await open_sio(auth_client, transports=["websocket"])
    with pytest.raises(socketio.exceptions.ConnectionError):
        await open_sio(auth_client, transports=["polling"])
    sio_client = await open_sio(
        auth_client,
        transports=["polling", "websocket"],
        headers={"Authorization": f"Basic {basic()}"},
    )
    assert sio_client.frames[0][0] == "connected"


async def test_socketio_accepts_the_session_cookie(auth_client: Client, open_sio: Open) -> None:
    response = await auth_client.get("/api/ping", headers={"Authorization": f"Basic {basic()}"})
    cookie = response.cookies["tubestash_session"].value
    sio_client = await open_sio(
        auth_client, transports=["websocket"], headers={"Cookie": f"tubestash_session={cookie}"}
    )
    assert sio_client.frames[0][0] == "connected"
    assert USERNAME not in str(sio_client.frames)
