"""Real downloads from the fixture site, watched and driven over /ws."""

from __future__ import annotations

import asyncio
import json

from app.core.wire import Event, EventName
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.realtime.conftest import Client, Connect, Frame, LiveSocket, about, named

SLOW = "?rate=20000"  # bytes a second: the clip then takes several seconds


def payload(frame: Frame) -> dict[str, object]:
    data: dict[str, object] = frame["data"]["data"]
    return data


async def add_over_ws(socket: LiveSocket, url: str, **fields: object) -> str:
    """Sends add_url and returns the new item's id from its item_added."""
    await socket.send("add_url", {"url": url, **fields})
    added = await socket.until(lambda f: f["event"] == "item_added" and payload(f)["url"] == url)
    uid = payload(added)["_id"]
    assert isinstance(uid, str)
    return uid


async def until_downloading(socket: LiveSocket, uid: str) -> None:
    await socket.until(
        lambda f: about(uid, "item_updated")(f) and payload(f)["status"] == "downloading"
    )


def assert_faithful(frames: list[Frame], published: list[Event]) -> None:
    """Clients get the bus's events in its order; only progress may be thinned, never the
    last update before another event about the same item (or the very last one)."""
    sent_ids = [f["data"]["id"] for f in frames]
    by_id = {event.id: event for event in published}
    assert all(i in by_id for i in sent_ids)
    positions = [published.index(by_id[i]) for i in sent_ids]
    assert positions == sorted(positions)
    for index, event in enumerate(published):
        later = published[index + 1 :]
        superseded = event.event is EventName.ITEM_UPDATED and any(
            e.item_id == event.item_id and e.event is EventName.ITEM_UPDATED
            for e in later[
                : next(
                    (
                        n
                        for n, e in enumerate(later)
                        if e.item_id == event.item_id and e.event is not EventName.ITEM_UPDATED
                    ),
                    len(later),
                )
            ]
        )
        if not superseded:
            assert event.id in sent_ids, f"{event.event} was not delivered"


async def test_a_download_is_seen_from_add_to_history(
    client: Client, connect: Connect, events: EventLog, fixture_site: FixtureSite
) -> None:
    sockets = [await connect(client) for _ in range(3)]
    uid = await add_over_ws(sockets[0], fixture_site.url("/watch/v-basic"))
    for socket in sockets:
        await socket.until(about(uid, "item_moved"))
        final = await socket.until(about(uid, "item_updated"))
        assert payload(final)["filename"]
    mine = [f for f in sockets[0].frames if about(uid)(f)]
    names = [f["event"] for f in mine]
    assert names[:2] == ["item_added", "item_status"]
    assert payload(mine[1]) == {"status": "ok", "preset": "default", "_id": uid, "conditions": []}
    assert names[-2:] == ["item_moved", "item_updated"]
    assert set(names[2:-2]) == {"item_updated"}
    assert payload(mine[2])["status"] == "preparing"
    moved = payload(mine[-2])
    assert moved["to"] == "history"
    assert isinstance(moved["item"], dict) and moved["item"]["status"] == "finished"
    published = [e for e in events.events if e.item_id == uid]
    for socket in sockets:
        assert_faithful([f for f in socket.frames if about(uid)(f)], published)
    # Every client saw the same thing in the same order (the first frame is its own sid).
    assert sockets[0].frames[1:] == sockets[1].frames[1:] == sockets[2].frames[1:]


async def test_cancel_over_ws(client: Client, connect: Connect, fixture_site: FixtureSite) -> None:
    socket = await connect(client)
    uid = await add_over_ws(socket, fixture_site.url("/watch/v-basic" + SLOW))
    await until_downloading(socket, uid)
    await socket.send("item_cancel", uid)
    cancelled = await socket.until(about(uid, "item_cancelled"))
    assert payload(cancelled)["status"] == "cancelled"
    assert cancelled["data"]["title"] == "Download Cancelled"
    moved = await socket.until(about(uid, "item_moved"))
    item = payload(moved)["item"]
    assert isinstance(item, dict) and item["status"] == "cancelled"


async def test_pause_and_start_over_ws(
    client: Client, connect: Connect, fixture_site: FixtureSite
) -> None:
    socket = await connect(client)
    uid = await add_over_ws(socket, fixture_site.url("/watch/v-basic" + SLOW))
    await until_downloading(socket, uid)
    await socket.send("item_pause", [uid])
    await socket.until(
        lambda f: (
            about(uid, "item_updated")(f)
            and payload(f)["status"] == "pending"
            and payload(f)["auto_start"] is False
        )
    )
    await socket.send("item_start", uid)
    await socket.until(lambda f: about(uid, "item_updated")(f) and payload(f)["auto_start"] is True)
    await until_downloading(socket, uid)
    await socket.send("item_cancel", uid)
    await socket.until(about(uid, "item_moved"))


async def test_delete_over_ws(client: Client, connect: Connect, fixture_site: FixtureSite) -> None:
    socket = await connect(client)
    uid = await add_over_ws(socket, fixture_site.url("/watch/v-basic"))
    await socket.until(about(uid, "item_moved"))
    await socket.send("item_delete", {"id": uid, "remove_file": True})
    deleted = await socket.until(about(uid, "item_deleted"))
    assert payload(deleted)["_id"] == uid
    live = await (await client.get("/api/history/live")).json()
    assert live["history_count"] == 0


async def test_queue_pause_and_resume_reach_clients(client: Client, connect: Connect) -> None:
    socket = await connect(client)
    assert (await client.post("/api/system/pause")).status == 200
    paused = await socket.until(named("paused", paused=True))
    assert isinstance(payload(paused)["at"], float)
    assert (await client.post("/api/system/resume")).status == 200
    await socket.until(named("resumed", paused=False))


async def test_a_refused_add_answers_item_status_error(
    client: Client, connect: Connect, fixture_site: FixtureSite
) -> None:
    socket = await connect(client)
    url = fixture_site.url("/watch/v-basic" + SLOW)
    uid = await add_over_ws(socket, url)
    await socket.send("add_url", {"url": url, "preset": "default"})
    refused = await socket.until(named("item_status", status="error"))
    assert "already in the queue" in str(payload(refused)["msg"])
    await socket.send("add_url", {"url": fixture_site.url("/watch/v-second"), "preset": "nope"})
    refused = await socket.until(named("item_status", status="error", preset="nope"))
    assert "nope" in str(payload(refused)["msg"])
    await socket.send("item_cancel", uid)
    await socket.until(about(uid, "item_moved"))


async def test_cookies_never_reach_clients(
    client: Client, connect: Connect, fixture_site: FixtureSite
) -> None:
    secret = "TOPSECRET-cookie-value-4711"
    socket = await connect(client)
    cookies = f"# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsid\t{secret}\n"
    uid = await add_over_ws(socket, fixture_site.url("/watch/v-basic"), cookies=cookies)
    await socket.until(about(uid, "item_moved"))
    await socket.until(about(uid, "item_updated"))
    assert secret not in json.dumps(socket.frames)
    for path in ("/api/history/live", f"/api/history/{uid}", "/api/history?type=done"):
        assert secret not in await (await client.get(path)).text()


async def test_a_stalled_client_does_not_slow_a_download(
    client: Client, connect: Connect, fixture_site: FixtureSite
) -> None:
    reader = await connect(client)
    stalled = await connect(client)  # noqa: F841  (connected, never read)
    uid = await add_over_ws(reader, fixture_site.url("/watch/v-basic"))
    await asyncio.wait_for(reader.until(about(uid, "item_moved")), 60)
