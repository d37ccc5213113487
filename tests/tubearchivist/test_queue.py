"""The download queue and the task view, over the Downloads facade."""

from __future__ import annotations

from app import keys
from tests.conftest import Client, EventLog
from tests.fixtures.site import FixtureSite
from tests.tubearchivist.client import TaClient
from tests.tubearchivist.helpers import finished_url


async def test_pending_ignore_pending_then_download_pending(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/v-second")
    body = {
        "data": [
            {"youtube_id": url, "status": "pending"},
            {"youtube_id": fixture_site.url("/watch/v-third"), "status": "ignore"},  # skipped
        ]
    }
    status, answer = await ta.call("POST", "api/download/", body)  # no autostart: it waits
    assert (status, answer) == (200, body)
    queue = await ta.get("api/download/")
    assert [(d["youtube_id"], d["status"]) for d in queue["data"]] == [("v-second", "pending")]
    assert queue["paginate"]["total_hits"] == 1
    assert (await ta.get("api/download/", params={"channel": "Fixture Channel"}))["data"]
    assert not (await ta.get("api/download/", params={"channel": "other"}))["data"]
    assert (await ta.get("api/download/v-second/"))["data"]["status"] == "pending"

    status, _ = await ta.call("POST", "api/download/v-second/", {"status": "ignore"})
    assert status == 200
    assert (await ta.get("api/download/"))["data"] == []
    ignored = await ta.get("api/download/", params={"filter": "ignore"})
    assert [d["youtube_id"] for d in ignored["data"]] == ["v-second"]
    assert (await ta.get("api/download/v-second/"))["data"]["status"] == "ignore"

    status, _ = await ta.call("POST", "api/download/v-second/", {"status": "pending"})
    assert status == 200
    assert (await ta.get("api/download/", params={"filter": "ignore"}))["data"] == []
    assert [d["youtube_id"] for d in (await ta.get("api/download/"))["data"]] == ["v-second"]
    assert await ta.get("api/task/") == {"rescan": False, "downloading": False}

    status, answer = await ta.call("POST", "api/task/", {"run": "download_pending"})
    assert status == 200 and answer["started"] == 1
    await events.wait_for(finished_url(url))
    await client.app[keys.LIBRARY].settled()
    assert (await ta.get("api/video/v-second/"))["data"]["youtube_id"] == "v-second"
    assert (await ta.get("api/download/"))["data"] == []


async def test_forgetting_and_emptying_the_queue(
    ta: TaClient, client: Client, fixture_site: FixtureSite
) -> None:
    urls = [fixture_site.url(f"/watch/{v}") for v in ("v-second", "v-third")]
    body = {"data": [{"youtube_id": url, "status": "pending"} for url in urls]}
    assert (await ta.call("POST", "api/download/", body))[0] == 200
    status, _ = await ta.call("DELETE", "api/download/v-third/")
    assert status == 200
    status, answer = await ta.call("DELETE", "api/download/v-third/")
    assert (status, answer["data"]) == (404, False)
    await ta.call("POST", "api/download/v-second/", {"status": "ignore"})
    status, answer = await ta.call("DELETE", "api/download/", params={"filter": "ignore"})
    assert (status, answer["deleted"]) == (200, 1)
    await ta.call("POST", "api/download/", body)
    status, answer = await ta.call("DELETE", "api/download/", params={"filter": "pending"})
    assert (status, answer["deleted"]) == (200, 2)
    assert client.app[keys.DOWNLOADS].queued() == []
    status, answer = await ta.call("DELETE", "api/download/")
    assert status == 400 and list(answer) == ["detail"]


async def test_bad_adds_are_400_message_and_change_nothing(ta: TaClient, client: Client) -> None:
    for body in (
        {},
        {"data": "x"},
        {"data": [{"status": "pending"}]},
        {"data": [{"youtube_id": "not an id!", "status": "pending"}]},
        {"data": [{"youtube_id": "ftp://example.com/x", "status": "pending"}]},
    ):
        status, answer = await ta.call("POST", "api/download/", body)
        assert status == 400 and list(answer) == ["message"], (body, answer)
    assert client.app[keys.DOWNLOADS].queued() == []
    for body in ({"status": "downloaded"}, {}):
        status, answer = await ta.call("POST", "api/download/nope/", body)
        assert status == 400
    status, answer = await ta.call("POST", "api/download/nope/", {"status": "ignore"})
    assert (status, answer["data"]) == (404, False)
    status, answer = await ta.call("GET", "api/download/", params={"filter": "done"})
    assert status == 400
    status, answer = await ta.call("POST", "api/task/", {"run": "format_disk"})
    assert status == 400 and list(answer) == ["detail"]
