"""Channels and playlists of downloaded videos, and subscribing to a channel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app import keys
from app.core.wire import Event, EventName
from app.settings import Settings
from tests.conftest import Client, EventLog
from tests.fixtures.site import FixtureSite
from tests.tubearchivist.client import TaClient
from tests.tubearchivist.helpers import finished_url


def moved(video_id: str) -> Callable[[Event], bool]:
    def check(event: Event) -> bool:
        return event.event == EventName.ITEM_MOVED and event.data["item"]["id"] == video_id

    return check


async def test_a_downloaded_playlist_and_its_channel(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    playlist_url = fixture_site.url("/playlist/pl-small")
    body = {"data": [{"youtube_id": playlist_url, "status": "pending"}]}
    assert (await ta.call("POST", "api/download/?autostart=1", body))[0] == 200
    for video in ("v-basic", "v-second", "v-third"):
        await events.wait_for(moved(video))
    await client.app[keys.LIBRARY].settled()

    playlists = await ta.get("api/playlist/")
    [playlist] = playlists["data"]
    assert playlist["playlist_id"] == "pl-small"
    assert playlist["playlist_name"] == "Small playlist"
    one = await ta.get("api/playlist/pl-small/")
    entries = one["data"]["playlist_entries"]
    assert [e["youtube_id"] for e in entries] == ["v-basic", "v-second", "v-third"]
    assert [e["idx"] for e in entries] == [0, 1, 2]
    videos = await ta.get("api/playlist/pl-small/video/")
    assert [v["youtube_id"] for v in videos["data"]] == ["v-basic", "v-second", "v-third"]
    assert (await ta.get("api/video/v-basic/"))["data"]["playlist"] == ["pl-small"]

    channels = await ta.get("api/channel/")
    assert [c["channel_id"] for c in channels["data"]] == ["ch-test"]
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert channel["channel_name"] == "Fixture Channel"
    assert channel["channel_subscribed"] is False
    assert channel["channel_thumb_url"] == "/cache/channels/ch-test_thumb.jpg"
    of_channel = await ta.get("api/channel/ch-test/video/")
    assert of_channel["paginate"]["total_hits"] == 3
    assert [v["published"] for v in of_channel["data"]] == [
        "2024-01-17",
        "2024-01-16",
        "2024-01-15",
    ]
    found = await ta.get("api/channel/search/", params={"q": "Fixture Channel"})
    assert found["channel_id"] == "ch-test" and found["channel_subscribed"] is False
    assert found["data"]["channel_id"] == "ch-test"

    for path in ("api/channel/nope/", "api/channel/nope/video/", "api/playlist/nope/"):
        status, body = await ta.call("GET", path)
        assert status == 404 and body["data"] is False and "error" in body
    status, body = await ta.call("GET", "api/channel/search/", params={"q": "@nobody"})
    assert status == 404 and body["data"] is False

    # Marking a playlist or a channel marks every library video of it.
    async def watched_states() -> list[bool]:
        listed = await ta.get("api/playlist/pl-small/video/")
        return [v["player"]["watched"] for v in listed["data"]]

    assert await watched_states() == [False, False, False]
    answer = await ta.call("POST", "api/watched/", {"id": "pl-small", "is_watched": True})
    assert answer[0] == 200 and answer[1]["id"] == "pl-small"
    assert await watched_states() == [True, True, True]
    answer = await ta.call("POST", "api/watched/", {"id": "ch-test", "is_watched": False})
    assert answer[0] == 200 and answer[1]["is_watched"] is False
    assert await watched_states() == [False, False, False]
    assert (await ta.call("POST", "api/watched/", {"id": "ch-test", "is_watched": True}))[0] == 200
    assert await watched_states() == [True, True, True]
    status, body = await ta.call("POST", "api/watched/", {"id": "pl-nope", "is_watched": True})
    assert status == 404 and body["data"] is False


async def subscriptions(client: Client) -> list[dict[str, Any]]:
    """The scheduled tasks the layer made, as the native API lists them."""
    answer = await client.get("/api/tasks", params={"per_page": 100})
    tasks = await answer.json()
    return [t for t in tasks["items"] if t["name"].startswith("TubeArchivist: ")]


async def test_subscribing_makes_a_scheduled_task_and_leaving_removes_it(
    ta: TaClient, client: Client
) -> None:
    body = {"data": [{"channel_id": "@SomeHandle", "channel_subscribed": True}]}
    status, answer = await ta.call("POST", "api/channel/", body)
    assert (status, answer) == (200, body)
    listed = await subscriptions(client)
    [task] = listed
    assert task["url"] == "https://www.youtube.com/@SomeHandle"
    assert task["timer"]
    channel = (await ta.get("api/channel/search/", params={"q": "@SomeHandle"}))["data"]
    assert channel["channel_subscribed"] is True
    again = await ta.call("POST", "api/channel/", body)  # no second task
    assert again[0] == 200
    listed = await subscriptions(client)
    assert len(listed) == 1

    body["data"][0]["channel_subscribed"] = False
    assert (await ta.call("POST", "api/channel/", body))[0] == 200
    listed = await subscriptions(client)
    assert listed == []
    bad: dict[str, Any]
    for bad in (
        {},
        {"data": []},
        {"data": [{"channel_id": 5}]},
        {"data": [{"channel_id": "x", "channel_subscribed": "yes"}]},
    ):
        status, answer = await ta.call("POST", "api/channel/", bad)
        assert status == 400 and list(answer) == ["detail"]
    status, answer = await ta.call("POST", "api/task/", {"run": "rescan_pending"})
    assert status == 200


async def test_channel_artwork_is_served_when_the_task_metadata_step_saved_some(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    body = {"name": "Show", "url": fixture_site.url("/channel/ch-test"), "folder": "shows/f"}
    task = await (await client.post("/api/tasks", json=body)).json()
    assert (await client.post(f"/api/tasks/{task['id']}/metadata")).status == 200
    poster = settings.resolved().download_path / "shows/f/poster.jpg"
    poster.write_bytes(b"\xff\xd8\xff poster")
    url = fixture_site.url("/watch/v-basic")
    added = await client.post("/api/history", json={"url": url, "folder": "shows/f"})
    assert added.status == 200
    await events.wait_for(finished_url(url))
    await client.app[keys.LIBRARY].settled()
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert channel["channel_description"] == "Every catalog video."
    status, image = await ta.call("GET", channel["channel_thumb_url"])
    assert (status, image) == (200, poster.read_bytes())
    status, body = await ta.call("GET", channel["channel_banner_url"])
    assert status == 404 and list(body) == ["detail"]


async def test_subscribing_a_playlist_makes_a_scheduled_task_and_leaving_removes_it(
    ta: TaClient, client: Client
) -> None:
    body = {"data": [{"playlist_id": "PLsome-list", "playlist_subscribed": True}]}
    status, answer = await ta.call("POST", "api/playlist/", body)
    assert (status, answer) == (200, body)
    [task] = await subscriptions(client)
    assert task["url"] == "https://www.youtube.com/playlist?list=PLsome-list"
    assert task["timer"]
    playlist = (await ta.get("api/playlist/PLsome-list/"))["data"]
    assert playlist["playlist_subscribed"] is True
    assert (await ta.call("POST", "api/playlist/", body))[0] == 200  # no second task
    assert len(await subscriptions(client)) == 1

    # A playlist URL is the same playlist: its id is the URL's list=.
    url = "https://www.youtube.com/playlist?list=PLother"
    by_url = {"data": [{"playlist_id": url, "playlist_subscribed": True}]}
    assert (await ta.call("POST", "api/playlist/", by_url))[0] == 200
    assert sorted(t["url"] for t in await subscriptions(client)) == sorted(
        [url, "https://www.youtube.com/playlist?list=PLsome-list"]
    )
    assert (await ta.get("api/playlist/PLother/"))["data"]["playlist_subscribed"] is True

    body["data"][0]["playlist_subscribed"] = False
    assert (await ta.call("POST", "api/playlist/", body))[0] == 200
    assert [t["url"] for t in await subscriptions(client)] == [url]
    playlist = (await ta.get("api/playlist/PLsome-list/"))["data"]
    assert playlist["playlist_subscribed"] is False
    bad: dict[str, Any]
    for bad in (
        {},
        {"data": []},
        {"data": "PLx"},
        {"data": [{"playlist_id": 5}]},
        {"data": [{"playlist_id": " "}]},
        {"data": [{"channel_id": "UCx", "channel_subscribed": True}]},
        {"data": [{"playlist_id": "PLx", "playlist_subscribed": "yes"}]},
        {"data": [{"playlist_id": "PLok"}, "not an object"]},
    ):
        status, answer = await ta.call("POST", "api/playlist/", bad)
        assert status == 400 and list(answer) == ["detail"]
    assert (await ta.call("GET", "api/playlist/PLok/"))[0] == 404  # nothing half-done
