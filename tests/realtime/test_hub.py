"""The /ws hub fed straight from the bus: envelopes, order, coalescing, slow clients."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from app import keys
from app.core.wire import Event, EventName
from app.realtime.hub import PROGRESS_INTERVAL, ProgressGate
from app.realtime.wire import WireFeed
from tests.realtime.conftest import Client, Connect, LiveSocket, about, named

ENVELOPE_KEYS = {"id", "created_at", "event", "title", "message", "data"}


def marker(bus: WireFeed, text: str) -> None:
    bus.emit(EventName.LOG_INFO, {"marker": text}, title="marker", message=text)


async def until_marker(socket: LiveSocket, text: str) -> list[dict[str, Any]]:
    """Every frame up to the marker (excluded), read from where the socket stood."""
    start = len(socket.frames)
    await socket.until(named("log_info", marker=text))
    return socket.frames[start:-1]


async def test_connect_sends_connected_and_nothing_else(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    ws = await client.ws_connect("/ws?_=1700000000000")
    try:
        socket = LiveSocket(ws)
        first = await socket.receive()
        assert first["event"] == "connected"
        assert set(first["data"]) == ENVELOPE_KEYS
        assert isinstance(first["data"]["data"]["sid"], str)
        marker(bus, "after-connect")
        assert await until_marker(socket, "after-connect") == []
    finally:
        await ws.close()


async def test_every_bus_event_reaches_clients_in_its_envelope(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    socket = await connect(client)
    item = {"_id": "item-1", "title": "A title", "status": None}
    published = [
        bus.emit(EventName.ITEM_ADDED, item, title="Item Added", message="added"),
        bus.emit(EventName.ITEM_STATUS, {"status": "ok", "preset": "default", "_id": "item-1"}),
        bus.emit(EventName.ITEM_UPDATED, {**item, "status": "downloading"}),
        bus.emit(EventName.ITEM_MOVED, {"to": "history", "preset": "default", "item": item}),
        bus.emit(EventName.ITEM_CANCELLED, {**item, "_id": "item-2"}),
        bus.emit(EventName.ITEM_DELETED, {**item, "_id": "item-3"}),
        bus.emit(EventName.PAUSED, {"paused": True, "at": 1.0}),
        bus.emit(EventName.RESUMED, {"paused": False, "at": 2.0}),
        bus.emit(EventName.CONFIG_UPDATE, {"feature": "presets", "action": "create", "data": {}}),
        bus.emit(EventName.LOG_SUCCESS, {}, title="Done", message="it worked"),
        bus.emit(EventName.LOG_WARNING, {}, title="Hm", message="careful"),
        bus.emit(EventName.LOG_ERROR, {}, title="Oops", message="it failed"),
    ]
    marker(bus, "end")
    frames = await until_marker(socket, "end")
    assert frames == [{"event": e.event.value, "data": e.envelope()} for e in published]


async def test_three_clients_see_the_same_events_in_the_same_order(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    sockets = [await connect(client) for _ in range(3)]
    for round_ in range(20):
        for uid in ("a", "b", "c"):
            bus.emit(EventName.ITEM_UPDATED, {"_id": uid, "status": "downloading", "n": round_})
        if round_ % 5 == 0:
            bus.emit(EventName.ITEM_ADDED, {"_id": f"new-{round_}"})
        marker(bus, f"round-{round_}")
        await asyncio.gather(
            *(s.until(named("log_info", marker=f"round-{round_}")) for s in sockets)
        )
    for uid in ("a", "b", "c"):
        bus.emit(EventName.ITEM_MOVED, {"to": "history", "item": {"_id": uid}})
    marker(bus, "end")
    await asyncio.gather(*(s.until(named("log_info", marker="end")) for s in sockets))
    assert sockets[0].frames[1:] == sockets[1].frames[1:] == sockets[2].frames[1:]
    names = [f["event"] for f in sockets[0].frames]
    assert names.count("item_moved") == 3
    assert names.count("item_added") == 4
    # Each item's last update (n=19, held back by the rate limit) comes before its move.
    for uid in ("a", "b", "c"):
        mine = [f for f in sockets[0].frames if about(uid)(f)]
        assert mine[-1]["event"] == "item_moved"
        assert mine[-2]["data"]["data"]["n"] == 19


async def test_progress_is_coalesced_and_the_last_state_arrives(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    socket = await connect(client)
    for percent in range(50):
        bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "downloading", "percent": percent})
    last = await socket.until(named("item_updated", percent=49))
    updates = [f for f in socket.frames if f["event"] == "item_updated"]
    # The first goes out at once; the other 49 came within one interval: only the newest follows.
    assert [u["data"]["data"]["percent"] for u in updates] == [0, 49]
    assert last["data"]["data"]["status"] == "downloading"


def progress(percent: int, uid: str = "x") -> Event:
    return Event(EventName.ITEM_UPDATED, {"_id": uid, "status": "downloading", "percent": percent})


def gate_output(*events: Event) -> list[tuple[str, Any]]:
    """What a gate whose interval never ends lets through at once: no clock involved."""
    delivered: list[Event] = []
    gate = ProgressGate(delivered.append, interval=3600)
    for event in events:
        gate.offer(event)
    return [(e.event.value, e.data.get("percent", e.data.get("status"))) for e in delivered]


async def test_progress_passes_at_most_once_per_interval_per_item() -> None:
    assert PROGRESS_INTERVAL == 0.25  # four a second
    offered = [progress(n, uid) for n in range(12) for uid in ("x", "y")]
    # Each item's first passes; the other 11 of each wait out the interval.
    assert gate_output(*offered) == [("item_updated", 0), ("item_updated", 0)]


async def test_state_changes_pass_at_once_releasing_held_progress_first() -> None:
    moved = Event(EventName.ITEM_MOVED, {"to": "history", "item": {"_id": "x"}})
    finished = Event(EventName.ITEM_UPDATED, {"_id": "x", "status": "finished"})
    steps = [
        Event(EventName.ITEM_UPDATED, {"_id": "x", "status": "postprocessing", "percent": n})
        for n in (100, 101)
    ]
    assert gate_output(progress(1), progress(2), moved, finished, *steps) == [
        ("item_updated", 1),
        ("item_updated", 2),  # held, then released before item_moved, never after it
        ("item_moved", None),
        ("item_updated", "finished"),
        ("item_updated", 100),
        ("item_updated", 101),
    ]


async def test_a_status_change_and_other_events_are_never_held_back(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    socket = await connect(client)
    bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "downloading", "percent": 1})
    bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "downloading", "percent": 2})
    bus.emit(EventName.ITEM_MOVED, {"to": "history", "item": {"_id": "x", "status": "finished"}})
    bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "finished", "filename": "x.mp4"})
    marker(bus, "end")
    frames = await until_marker(socket, "end")
    steps = [(f["event"], f["data"]["data"].get("percent")) for f in frames]
    assert steps == [
        # 1 was not sent yet when 2 was released (before item_moved, never after it):
        # the newer state took its place in the client's queue.
        ("item_updated", 2),
        ("item_moved", None),
        ("item_updated", None),
    ]


async def test_updates_that_are_not_progress_pass_at_once(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    socket = await connect(client)
    bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "downloading", "percent": 99})
    await socket.until(named("item_updated", percent=99))
    steps = ["merging", "embedding", "done"]
    for step in steps:
        bus.emit(EventName.ITEM_UPDATED, {"_id": "x", "status": "postprocessing", "step": step})
    marker(bus, "end")
    frames = await until_marker(socket, "end")
    # Unsent updates of one item may still merge in the client's queue: the newest remains.
    assert frames[-1]["data"]["data"]["step"] == "done"


async def test_a_client_that_stops_reading_does_not_delay_the_others(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    readers = [await connect(client), await connect(client)]
    stalled = await connect(client)  # connected, then never read again
    hub = client.app[keys.HUB]
    assert hub.client_count == 3
    padding = "x" * 16_000
    batches = 0
    while hub.client_count == 3:
        batches += 1
        assert batches <= 200, "the stalled client was never dropped"
        for n in range(100):
            bus.emit(EventName.LOG_INFO, {"n": n, "padding": padding}, message=f"b{batches}")
        for socket in readers:
            await socket.until(named("log_info", n=99))
        # The readers have the whole batch while the stalled client may still hold its
        # place: waiting on it would have stopped them here until it was dropped.
    assert hub.client_count == 2
    marker(bus, "after-drop")
    for socket in readers:
        await socket.until(named("log_info", marker="after-drop"))
    # The stalled client finds its connection closed once it reads what was buffered.
    while True:
        message = await stalled.ws.receive(timeout=30)
        if message.type is not aiohttp.WSMsgType.TEXT:
            break
    assert message.type in (
        aiohttp.WSMsgType.CLOSE,
        aiohttp.WSMsgType.CLOSED,
        aiohttp.WSMsgType.CLOSING,
        aiohttp.WSMsgType.ERROR,
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("not json", "not valid JSON"),
        ("[]", '"event" name'),
        ('{"data": 1}', '"event" name'),
        ('{"event": 5}', '"event" name'),
        ('{"event": "no_such_event", "data": {}}', "Unknown event 'no_such_event'"),
        ('{"event": "add_url"}', "No URL provided."),
        ('{"event": "add_url", "data": {}}', "No URL provided."),
        ('{"event": "add_url", "data": {"url": ""}}', "No URL provided."),
        ('{"event": "add_url", "data": 42}', "must be an object"),
        ('{"event": "item_cancel", "data": 5}', "item_cancel needs an item id"),
        ('{"event": "item_start", "data": [1, 2]}', "item_start needs an item id"),
        ('{"event": "item_pause"}', "item_pause needs an item id"),
        ('{"event": "item_start_now", "data": 3}', "item_start_now needs an item id"),
        ('{"event": "item_move", "data": "a"}', "item_move needs"),
        ('{"event": "item_move", "data": {"ids": ["a"], "to": "up"}}', '"top" or "bottom"'),
        ('{"event": "item_delete", "data": {"id": 3}}', "item_delete needs"),
        ('{"event": "item_delete", "data": {"id": "a", "remove_file": "yes"}}', "remove_file"),
    ],
)
async def test_bad_requests_get_log_error_and_the_socket_stays_open(
    client: Client, bus: WireFeed, connect: Connect, raw: str, message: str
) -> None:
    socket = await connect(client)
    await socket.ws.send_str(raw)
    error = await socket.until(named("log_error"))
    assert error["data"]["title"] == "Invalid request"
    assert message in error["data"]["message"]
    marker(bus, "still-open")
    await socket.until(named("log_info", marker="still-open"))


async def test_binary_frames_are_refused_politely(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    socket = await connect(client)
    await socket.ws.send_bytes(b"\x00\x01")
    error = await socket.until(named("log_error"))
    assert "Binary" in error["data"]["message"]


@pytest.mark.parametrize(
    ("event", "data", "title"),
    [
        ("item_cancel", "nope", "Cancel failed"),
        ("item_start", ["nope"], "Start failed"),
        ("item_pause", "nope", "Pause failed"),
        ("item_start_now", ["nope"], "Start failed"),
        ("item_move", {"ids": "nope", "to": "top"}, "Move failed"),
        ("item_delete", {"id": "nope", "remove_file": True}, "Delete failed"),
    ],
)
async def test_commands_on_unknown_items_answer_the_sender_only(
    client: Client, bus: WireFeed, connect: Connect, event: str, data: Any, title: str
) -> None:
    sender, other = await connect(client), await connect(client)
    await sender.send(event, data)
    error = await sender.until(named("log_error"))
    assert error["data"]["title"] == title
    assert "'nope' was not found" in error["data"]["message"]
    marker(bus, "end")
    assert await until_marker(other, "end") == []


async def test_errors_go_only_to_the_client_that_asked(
    client: Client, bus: WireFeed, connect: Connect
) -> None:
    sender, other = await connect(client), await connect(client)
    await sender.send("add_url", {"preset": "default"})
    error = await sender.until(named("log_error"))
    assert (error["data"]["title"], error["data"]["message"]) == (
        "Invalid request",
        "No URL provided.",
    )
    marker(bus, "end")
    assert await until_marker(other, "end") == []


async def test_ws_answers_with_a_trailing_slash(client: Client, connect: Connect) -> None:
    await connect(client, "/ws/")


async def test_shutdown_closes_open_sockets_promptly(client: Client) -> None:
    # A session of its own: the test client's would close the socket from this side.
    async with aiohttp.ClientSession() as session:
        ws = await session.ws_connect(client.make_url("/ws"))
        socket = LiveSocket(ws)
        assert (await socket.receive())["event"] == "connected"
        await client.close()
        message = await ws.receive(timeout=10)
    # Closed by the hub ("going away"), not cut when aiohttp's shutdown timeout ran out.
    assert (message.type, message.data) == (aiohttp.WSMsgType.CLOSE, 1001)
