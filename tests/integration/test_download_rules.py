"""What the queue decides about a download: an order of statuses, skips of what is already
downloaded, the archive flag, and retries of failures that may pass by themselves."""

from __future__ import annotations

import uuid
from pathlib import Path

from app import keys
from app.core.wire import EventName
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import (
    Client,
    add_one,
    add_settled,
    call,
    finished,
    has_bytes,
)

SLOW = 40_000  # bytes a second: a clip takes seconds


def _statuses(events: EventLog, uid: str) -> list[str]:
    """The item's statuses as published, each step once."""
    steps: list[str] = []
    for event in events.events:
        if event.event == EventName.ITEM_STATUS:
            continue
        if event.item_id != uid and not (
            event.event == EventName.ITEM_MOVED and event.data["item"]["_id"] == uid
        ):
            continue
        data = event.data["item"] if event.event == EventName.ITEM_MOVED else event.data
        status = data.get("status")
        if status and (not steps or steps[-1] != status):
            steps.append(status)
    return steps


async def test_statuses_come_in_order_and_a_finished_url_is_skipped(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/v-third")
    item = await add_one(client, url, cli="--download-archive rules.txt")
    done = await finished(events, item["_id"])
    assert done["status"] == "finished"
    steps = _statuses(events, item["_id"])
    # A pre-process postprocessor (the filename guard) no longer shows as postprocessing.
    assert steps[steps.index("preparing") + 1] == "downloading", steps
    assert steps[-1] == "finished", steps
    assert set(steps) <= {"pending", "preparing", "downloading", "postprocessing", "finished"}
    # yt-dlp wrote the id to the archive: the item says so.
    assert done["is_archived"] is True
    stored = await call(client, "GET", f"/api/history/{item['_id']}")
    assert stored["is_archived"] is True

    # The same video again (another URL spelling, no archive): already downloaded.
    [again] = await add_settled(client, {"url": url + "?again=1"})
    assert again["status"] is False
    assert again["msg"] == "URL is already downloaded."
    assert again["item"]["status"] == "skip"
    moved = await finished(events, again["item"]["_id"])
    assert moved["status"] == "skip"

    # Forced, it is downloaded again.
    forced = await add_one(client, url + "?again=2", force=True)
    assert (await finished(events, forced["_id"]))["status"] == "finished"


async def test_a_transient_error_is_retried_by_itself(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, download_retries=2, download_retry_delay=0.0)
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    # The media answers 429 twice, then the file: two automatic retries, then done.
    url = fixture_site.url(f"/watch/gen-0061?flaky=2&code=429&key={uuid.uuid4().hex}")
    item = await add_one(client, url)
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    assert not (done["msg"] or "").startswith("Retry")  # the notice went with the retry
    retried = [
        e.data["msg"]
        for e in events.events
        if e.event == EventName.ITEM_UPDATED
        and e.item_id == item["_id"]
        and (e.data.get("msg") or "").startswith("Retry")
    ]
    assert [m.split(":")[0] for m in dict.fromkeys(retried)] == [
        "Retry 1 of 2 in 0 s",
        "Retry 2 of 2 in 0 s",
    ]
    assert "429" in retried[0]

    # Out of retries: the error goes to history. A 404 is not retried at all.
    url = fixture_site.url(f"/watch/gen-0062?flaky=9&code=503&key={uuid.uuid4().hex}")
    failed = await finished(events, (await add_one(client, url, cli="--retries 0"))["_id"])
    assert failed["status"] == "error" and "503" in (failed["error"] or "")
    url = fixture_site.url(f"/watch/gen-0063?flaky=1&code=404&key={uuid.uuid4().hex}")
    gone = await add_one(client, url)
    assert (await finished(events, gone["_id"]))["status"] == "error"
    assert not [
        e
        for e in events.events
        if e.item_id == gone["_id"] and "Retry" in (e.data.get("msg") or "")
    ]


async def test_queue_order_and_start_now(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, max_workers=1)
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    running = await add_one(client, fixture_site.url(f"/watch/gen-0071?rate={SLOW}"))
    waiting = [
        await add_one(client, fixture_site.url(f"/watch/gen-007{n}?rate={SLOW}")) for n in (2, 3, 4)
    ]
    ids = [w["_id"] for w in waiting]
    await events.wait_for(has_bytes(running["_id"]))

    moved = await call(
        client, "POST", "/api/history/move", json={"ids": [ids[2], "nope"], "to": "top"}
    )
    assert moved == {ids[2]: "moved", "nope": "not found"}
    event = await events.wait_for(
        lambda e: e.event == EventName.ITEM_MOVED and e.data.get("position") == "top"
    )
    assert event.data["to"] == "queue" and event.data["_id"] == ids[2]
    await call(client, "POST", "/api/history/move", json={"ids": [ids[0]], "to": "bottom"})
    live = await call(client, "GET", "/api/history/live")
    assert list(live["queue"]) == [ids[2], running["_id"], ids[1], ids[0]]
    await call(client, "POST", "/api/history/move", json={"ids": ids, "to": "sideways"}, status=400)

    # Started now, past the limit of one download at once.
    started = await call(client, "POST", "/api/history/start_now", json={"ids": [ids[1]]})
    assert started == {ids[1]: "started"}
    await events.wait_for(has_bytes(ids[1]))
    live = await call(client, "GET", "/api/history/live")
    assert live["queue"][running["_id"]]["status"] == "downloading"
    assert live["queue"][ids[2]]["status"] == "pending"
    await call(client, "POST", "/api/history/cancel", json={"ids": [running["_id"], *ids]})


async def test_queue_order_survives_a_restart(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path)
    client = await make_client(settings)
    urls = [fixture_site.url(f"/watch/gen-008{n}") for n in (1, 2, 3)]
    ids = [(await add_one(client, url, auto_start=False))["_id"] for url in urls]
    await call(client, "POST", "/api/history/move", json={"ids": [ids[2]], "to": "top"})
    await client.close()
    client = await make_client(settings)
    live = await call(client, "GET", "/api/history/live")
    assert list(live["queue"]) == [ids[2], ids[0], ids[1]]
