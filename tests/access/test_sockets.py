"""A key's role on the live sockets: a downloader hears every event, its commands are
checked like its HTTP requests, over ``/ws`` and socket.io alike."""

from __future__ import annotations

import asyncio
from typing import Any

import socketio

from app import keys
from app.core.wire import EventName
from tests.conftest import Client
from tests.fixtures.site import FixtureSite
from tests.realtime.conftest import FRAME_TIMEOUT, LiveSocket, named


async def test_a_downloader_on_ws_hears_events_and_may_add_but_not_delete(
    keyed: Client, downloader: str, fixture_site: FixtureSite
) -> None:
    socket = LiveSocket(await keyed.ws_connect("/ws", headers={"X-API-Key": downloader}))
    try:
        assert (await socket.receive())["event"] == "connected"
        keyed.app[keys.WIRE].emit(EventName.LOG_INFO, {"n": 1}, message="hello")
        await socket.until(named("log_info", n=1))
        await socket.send("item_delete", {"id": "anything", "remove_file": True})
        refused = await socket.until(lambda f: f["event"] == "log_error")
        assert refused["data"]["title"] == "Not allowed"
        assert "admin" in refused["data"]["message"]
        url = fixture_site.url("/watch/v-basic")
        await socket.send("add_url", {"url": url, "auto_start": False})
        added = await socket.until(lambda f: f["event"] == "item_added")
        assert added["data"]["data"]["url"] == url
    finally:
        await socket.close()


async def test_a_wrong_key_cannot_open_a_socket(keyed: Client) -> None:
    answer = await keyed.get(
        "/ws", headers={"X-API-Key": "ytp_wrong", "Upgrade": "websocket", "Connection": "Upgrade"}
    )
    assert answer.status == 401


async def test_a_downloader_on_socketio_is_checked_too(keyed: Client, downloader: str) -> None:
    frames: list[tuple[str, Any]] = []
    arrived = asyncio.Event()
    sio = socketio.AsyncClient(reconnection=False)

    async def record(event: str, data: Any = None) -> None:
        frames.append((event, data))
        arrived.set()

    sio.on("*", record)
    url = str(keyed.make_url("/")).rstrip("/")
    await sio.connect(
        url, headers={"X-API-Key": downloader}, transports=["websocket"], wait_timeout=10
    )
    try:

        async def seek(name: str) -> Any:
            while True:
                for event, data in frames:
                    if event == name:
                        return data
                arrived.clear()
                await arrived.wait()

        await asyncio.wait_for(seek("connected"), FRAME_TIMEOUT)
        await sio.emit("item_delete", {"id": "x"})
        refused = await asyncio.wait_for(seek("log_error"), FRAME_TIMEOUT)
        assert refused["title"] == "Not allowed"
    finally:
        await sio.disconnect()
