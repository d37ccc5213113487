"""What the queue decides about a download: an order of statuses, skips of what is already
downloaded, the archive flag, and retries of failures that may pass by themselves."""

from __future__ import annotations

from app.core.wire import EventName
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add, add_one, call, finished


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
    [again] = await add(client, {"url": url + "?again=1"})
    assert again["status"] is False
    assert again["msg"] == "URL is already downloaded."
    assert again["item"]["status"] == "skip"
    moved = await finished(events, again["item"]["_id"])
    assert moved["status"] == "skip"

    # Forced, it is downloaded again.
    forced = await add_one(client, url + "?again=2", force=True)
    assert (await finished(events, forced["_id"]))["status"] == "finished"
