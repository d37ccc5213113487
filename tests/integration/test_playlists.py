"""Playlists and channels expand into one queued item per entry."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from app import keys
from app.core.wire import Event, EventName
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, call, finished


def entries_queued(uid: str, at_least: int) -> Callable[[Event], bool]:
    def check(event: Event) -> bool:
        data = event.data
        return (
            event.event == EventName.ITEM_UPDATED
            and data.get("_id") == uid
            and (data["extras"].get("entries_queued") or 0) >= at_least
        )

    return check


async def test_small_playlist_becomes_its_entries(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    playlist = await add_one(client, fixture_site.url("/playlist/pl-small"), auto_start=False)
    assert playlist["is_playlist"] is True
    done = await finished(events, playlist["_id"])
    assert done["status"] == "finished"
    assert done["msg"] == "Queued 3 entries."
    live = await call(client, "GET", "/api/history/live")
    ids = sorted(item["id"] for item in live["queue"].values())
    assert ids == ["v-basic", "v-second", "v-third"]
    assert all(item["extras"]["playlist"] == "Small playlist" for item in live["queue"].values())


async def test_big_playlist_is_flat_and_capped(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, max_playlist_items=120)
    client: Client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    watch_hits = fixture_site.hits("/watch")
    playlist = await add_one(client, fixture_site.url("/playlist/pl-big"), auto_start=False)
    done = await finished(events, playlist["_id"])
    assert "Queued 120 entries" in done["msg"]
    assert "YTP_MAX_PLAYLIST_ITEMS" in done["msg"]
    # The real size is reported beside what was queued.
    assert done["extras"]["entries_total"] == 1000
    assert done["extras"]["entries_queued"] == 120
    assert "limit of 120 entries of 1000" in done["msg"]
    live = await call(client, "GET", "/api/history/live")
    assert len(live["queue"]) == 120
    assert fixture_site.hits("/watch") == watch_hits  # flat: no entry was fetched
    # The people watching are told, as toasts: reading it, and that the limit cut it.
    told = [
        (e.event.value, e.title, e.message)
        for e in events.events
        if e.event.value.startswith("log_")
    ]
    assert told[0][:2] == ("log_info", "Expanding playlist")
    assert told[-1] == ("log_warning", "Playlist expanded", done["msg"])


async def test_thousand_entries_are_queued(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    playlist = await add_one(client, fixture_site.url("/playlist/pl-big"), auto_start=False)
    done = await finished(events, playlist["_id"])
    assert done["msg"] == "Queued 1000 entries."
    told = await events.wait_for(lambda e: e.event.value == "log_success")
    assert (told.title, told.message) == ("Playlist expanded", "Queued 1000 entries.")
    page = await call(client, "GET", "/api/history?type=queue&per_page=1")
    assert page["pagination"]["total"] == 1000
    # Adding the same playlist again queues nothing twice.
    again = await add_one(client, fixture_site.url("/playlist/pl-big?again=1"), auto_start=False)
    repeat = await finished(events, again["_id"])
    assert repeat["msg"] == "Queued 0 entries (1000 already in the queue)."


async def test_cancelled_expansion_stops_for_good(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    client: Client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    playlist = await add_one(client, fixture_site.url("/playlist/pl-slow"), auto_start=False)
    await events.wait_for(entries_queued(playlist["_id"], 50))
    pids = client.app[keys.POOL].pids()
    await call(client, "POST", "/api/history/cancel", json={"ids": [playlist["_id"]]})
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    stored = await call(client, "GET", f"/api/history/{playlist['_id']}")
    assert stored["status"] == "cancelled"
    queued = len((await call(client, "GET", "/api/history/live"))["queue"])
    assert 50 <= queued < 500
    await client.close()

    # After a restart the cancelled expansion does not come back.
    client = await make_client(settings)
    live = await call(client, "GET", "/api/history/live")
    assert len(live["queue"]) == queued
    assert playlist["_id"] not in live["queue"]
    assert not client.app[keys.POOL].pids()
