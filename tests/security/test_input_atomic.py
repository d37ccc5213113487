"""A refused request changes nothing: edits, batches, deletes and a failing store."""

from __future__ import annotations

from typing import Any

import pytest

from app import keys
from app.core.wire import EventName
from app.settings import Settings
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add, add_one, call, moved_to_history


async def cancelled_item(client: Client, events: EventLog, url: str) -> dict[str, Any]:
    item = await add_one(client, url, auto_start=False)
    await call(client, "POST", "/api/history/cancel", json={"ids": [item["_id"]]})
    await events.wait_for(moved_to_history(item["_id"]))
    return item


EDITS = [
    ({"url": "javascript:alert(1)"}, 400),
    ({"url": "file:///etc/passwd"}, 400),
    ({"url": None}, 400),
    ({"folder": "../../../etc"}, 400),
    ({"folder": "/etc"}, 400),
    ({"folder": None}, 400),
    ({"template": "../%(title)s.%(ext)s"}, 400),
    ({"cli": "--exec 'touch /tmp/pwned'"}, 400),
    ({"cli": "--batch-file /etc/passwd"}, 400),
    ({"preset": None}, 400),
    ({"preset": "nope"}, 404),
    ({"auto_start": None}, 400),
]


@pytest.mark.parametrize(("change", "status"), EDITS)
async def test_edits_of_queued_items_are_checked_like_adds(
    client: Client, fixture_site: FixtureSite, change: dict[str, Any], status: int
) -> None:
    item = await add_one(client, fixture_site.url("/watch/gen-0101"), auto_start=False)
    await call(client, "POST", f"/api/history/{item['_id']}", status, json=change)
    assert await call(client, "GET", f"/api/history/{item['_id']}") == item


@pytest.mark.parametrize(("change", "status"), EDITS)
async def test_edits_of_history_items_are_checked_like_adds(
    client: Client,
    events: EventLog,
    fixture_site: FixtureSite,
    change: dict[str, Any],
    status: int,
) -> None:
    item = await cancelled_item(client, events, fixture_site.url("/watch/gen-0102"))
    before = await call(client, "GET", f"/api/history/{item['_id']}")
    await call(client, "POST", f"/api/history/{item['_id']}", status, json=change)
    assert await call(client, "GET", f"/api/history/{item['_id']}") == before
    page = await call(client, "GET", "/api/history?type=done")
    assert [i["_id"] for i in page["items"]] == [item["_id"]]


async def test_a_valid_history_edit_is_kept(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    item = await cancelled_item(client, events, fixture_site.url("/watch/gen-0103"))
    change = {"title": "Renamed", "folder": "sub", "url": fixture_site.url("/watch/gen-0104")}
    updated = await call(client, "POST", f"/api/history/{item['_id']}", json=change)
    assert {k: updated[k] for k in change} == change
    assert await call(client, "GET", f"/api/history/{item['_id']}") == updated


async def test_a_batch_with_one_bad_item_queues_none(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    good = {"url": fixture_site.url("/watch/gen-0105")}
    for bad in ({"url": "nope"}, {"url": good["url"], "preset": "missing"}, {"cli": "--exec x"}):
        response = await client.post("/api/history", json=[good, {"url": "http://x/b", **bad}])
        assert 400 <= response.status < 500
    assert await call(client, "GET", "/api/history/live") == {"queue": {}, "history_count": 0}
    assert EventName.ITEM_ADDED.value not in events.names()


async def test_too_many_urls_is_413(tmp_path: Any, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, max_urls_per_request=3))
    body = [{"url": f"http://x/{n}"} for n in range(4)]
    answer = await call(client, "POST", "/api/history", 413, json=body)
    assert "at most 3" in answer["error"] and "YTP_MAX_URLS_PER_REQUEST" in answer["error"]
    # Within the cap the items are checked as usual (here: refused for the bad one).
    answer = await call(client, "POST", "/api/history", 400, json=[*body[:2], {"url": "x"}])
    assert "item 2" in answer["error"]
    assert await call(client, "GET", "/api/history/live") == {"queue": {}, "history_count": 0}


async def test_a_failing_store_stores_starts_and_announces_nothing(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    db = client.app[keys.DB]
    async with db.transaction() as conn:  # a full disk, as far as the queue can tell
        await conn.execute(
            "CREATE TRIGGER full BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'full'); END"
        )
    body = [{"url": fixture_site.url(f"/watch/gen-011{n}")} for n in range(3)]
    await call(client, "POST", "/api/history", 500, json=body)
    async with db.transaction() as conn:
        await conn.execute("DROP TRIGGER full")
    assert await call(client, "GET", "/api/history/live") == {"queue": {}, "history_count": 0}
    assert EventName.ITEM_ADDED.value not in events.names()
    # The next add runs at once: nothing of the refused batch waits to start before it.
    item = await add_one(client, fixture_site.url("/watch/gen-0119"))
    await events.wait_for(moved_to_history(item["_id"]))
    added = [e.data["_id"] for e in events.events if e.event == EventName.ITEM_ADDED]
    assert added == [item["_id"]]


async def test_delete_is_checked_first_and_done_at_once(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    items = [
        await cancelled_item(client, events, fixture_site.url(f"/watch/gen-012{n}"))
        for n in range(2)
    ]
    for body in (
        {"type": "done", "status": "bogus"},
        {"type": "done", "status": "!"},
        {"type": "done", "status": 5},
        {"type": "done", "ids": [items[0]["_id"], 5]},
        {"type": "done", "status": "cancelled", "remove_file": "yes"},
    ):
        await call(client, "DELETE", "/api/history", 400, json=body)
    assert (await call(client, "GET", "/api/history/live"))["history_count"] == 2
    db = client.app[keys.DB]
    async with db.transaction() as conn:
        await conn.execute(
            "CREATE TRIGGER keep BEFORE DELETE ON items "
            "WHEN old.id = ? BEGIN SELECT RAISE(ABORT, 'kept'); END".replace(
                "?", f"'{items[1]['_id']}'"
            )
        )
    await call(client, "DELETE", "/api/history", 500, json={"type": "done", "status": "cancelled"})
    assert (await call(client, "GET", "/api/history/live"))["history_count"] == 2
    page = await call(client, "GET", "/api/history?type=done")
    assert len(page["items"]) == 2
    assert EventName.ITEM_DELETED.value not in events.names()


async def test_queue_removal_is_one_transaction(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    items = [
        await add_one(client, fixture_site.url(f"/watch/gen-013{n}"), auto_start=False)
        for n in range(3)
    ]
    ids = [item["_id"] for item in items]
    result = await call(client, "DELETE", "/api/history", json={"type": "queue", "ids": ids})
    assert result == dict.fromkeys(ids, "deleted")
    assert await call(client, "GET", "/api/history/live") == {"queue": {}, "history_count": 0}
    await add(client, {"url": fixture_site.url("/watch/gen-0130"), "auto_start": False})


@pytest.fixture
def settings(tmp_path: Any) -> Settings:
    # One worker: a download of the store-failure test cannot hide behind another.
    return make_settings(tmp_path, max_workers=1)
