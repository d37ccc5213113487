"""``POST /api/refresh/``: exactly the videos, channels and playlists named are read again,
from history and what the task metadata step wrote (never from the sites); unknown ids
are a 400 that names them, and nothing is queued. ``GET`` reports the queue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app import keys
from app.settings import Settings
from tests.conftest import Client, EventLog, make_settings
from tests.fixtures.site import FixtureSite
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient
from tests.tubearchivist.test_channels import moved

FOLDER = "shows/f"
VIDEOS = ("v-basic", "v-second", "v-third")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    # File actions on: a file moved in the file browser is what a refresh puts right.
    return make_settings(tmp_path, tubearchivist_port=free_port(), browser_control_enabled=True)


async def native(client: Client, method: str, path: str, **kwargs: Any) -> Any:
    answer = await client.request(method, path, **kwargs)
    assert answer.status < 300, (path, answer.status, await answer.text())
    return await answer.json()


async def move(client: Client, video_id: str, to: str) -> None:
    """Moves a video's file in the file browser: history follows it, the library not yet."""
    stored = await native(client, "GET", f"/api/library/videos/{video_id}")
    [result] = [
        r
        for r in await native(
            client,
            "POST",
            "/api/file/actions",
            json=[{"action": "move", "path": stored["file"], "new_path": to}],
        )
        if r["path"].endswith(".mp4")
    ]
    assert result["ok"], result


async def media_status(ta: TaClient, video_id: str) -> int:
    video = (await ta.get(f"api/video/{video_id}/"))["data"]
    status, _ = await ta.call("GET", video["media_url"], headers={"Range": "bytes=0-0"})
    return status


@pytest.fixture
async def library(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> Client:
    """A downloaded playlist (three videos of one channel) in a show folder; then the task
    metadata step writes the channel's and the playlist's details there, with a poster."""
    added = await client.post(
        "/api/history", json={"url": fixture_site.url("/playlist/pl-small"), "folder": FOLDER}
    )
    assert added.status == 200
    for video in VIDEOS:
        await events.wait_for(moved(video))
    await client.app[keys.LIBRARY].settled()
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert not channel["channel_description"]
    for name, path in (("Show", "/channel/ch-test"), ("List", "/playlist/pl-small")):
        body = {"name": name, "url": fixture_site.url(path), "folder": FOLDER}
        task = await native(client, "POST", "/api/tasks", json=body)
        await native(client, "POST", f"/api/tasks/{task['id']}/metadata")
    return client


async def test_named_videos_channels_and_playlists_are_read_again(
    ta: TaClient, library: Client, settings: Settings
) -> None:
    client = library
    refresher = client.app[keys.TUBEARCHIVIST].refresher
    root = settings.resolved().download_path
    (root / FOLDER / "poster.jpg").write_bytes(b"\xff\xd8 poster")
    (root / "elsewhere").mkdir()
    await move(client, "v-basic", "elsewhere")
    await move(client, "v-second", "elsewhere")
    assert await media_status(ta, "v-basic") == 404  # the library still names the old path

    body = {"videos": ["v-basic"]}
    status, answer = await ta.call("POST", "api/refresh/", body)
    assert status == 200 and answer["videos"] == ["v-basic"]
    assert answer["message"] == "reindex task started" and answer["task_id"]
    await refresher.settled()
    assert await media_status(ta, "v-basic") == 206
    assert await media_status(ta, "v-second") == 404  # not named: untouched
    stored = await native(client, "GET", "/api/library/videos/v-basic")
    assert stored["file"].startswith("elsewhere/") and stored["last_refresh"]
    # History alone keeps no channel id: what the download said stays.
    assert (stored["channel_id"], stored["published"]) == ("ch-test", "2024-01-15")
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert not channel["channel_description"]  # only the video was named
    listed = [v["youtube_id"] for v in (await ta.get("api/video/"))["data"]]
    assert sorted(listed) == sorted(VIDEOS)  # it kept its place and its playlist
    assert (await ta.get("api/video/v-basic/"))["data"]["playlist"] == ["pl-small"]

    # TubeArchivist's own spelling: a channel, with every video of it.
    status, _ = await ta.call(
        "POST", "api/refresh/", {"channel": ["ch-test"]}, params={"extract_videos": "true"}
    )
    assert status == 200
    await refresher.settled()
    assert await media_status(ta, "v-second") == 206
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert channel["channel_description"] == "Every catalog video."
    assert channel["channel_subscribed"] is False
    status, image = await ta.call("GET", channel["channel_thumb_url"])
    assert (status, image) == (200, b"\xff\xd8 poster")

    assert (await native(client, "GET", "/api/library/playlists/pl-small"))["url"] is None
    status, _ = await ta.call("POST", "api/refresh/", {"playlists": ["pl-small"]})
    assert status == 200
    await refresher.settled()
    playlist = await native(client, "GET", "/api/library/playlists/pl-small")
    assert playlist["url"].endswith("/playlist/pl-small")
    assert playlist["thumbnail"] == f"{FOLDER}/poster.jpg"
    assert refresher.refreshed == {"video": 4, "channel": 1, "playlist": 1}

    state = await ta.get("api/refresh/")
    assert state == {"total_queued": 0, "type": "all", "state": "empty"}
    state = await ta.get("api/refresh/", params={"type": "video", "id": "v-basic"})
    assert state == {"total_queued": 0, "type": "video", "id": "v-basic", "state": False}


@pytest.mark.parametrize(
    "body",
    [
        {"videos": ["nope"]},
        {"videos": ["v-basic", "nope"]},  # one unknown id refuses the whole request
        {"channels": ["ch-nope"]},
        {"playlists": ["pl-nope"]},
        {"videos": ["../v-basic"]},
        {"videos": ["v-basic/../v-second"]},
        {"videos": ["%2e%2e%2fv-basic"]},
        {"videos": ["/etc/passwd"]},
        {"videos": ["V-BASIC"]},
        {"channels": ["v-basic"]},  # a video id is no channel
        {"playlists": ["ch-test"]},
    ],
)
async def test_unknown_ids_are_named_and_nothing_is_queued(
    ta: TaClient, library: Client, body: dict[str, list[str]]
) -> None:
    refresher = library.app[keys.TUBEARCHIVIST].refresher
    status, answer = await ta.call("POST", "api/refresh/", body)
    assert status == 400 and list(answer) == ["detail"]
    assert "Not in the library" in answer["detail"]
    unknown = [i for ids in body.values() for i in ids if i != "v-basic"]
    assert all(repr(i) in answer["detail"] for i in unknown), answer
    assert refresher.queued() == 0 and refresher.refreshed == dict.fromkeys(refresher.refreshed, 0)


async def test_bad_requests_are_refused(ta: TaClient, client: Client) -> None:
    refresher = client.app[keys.TUBEARCHIVIST].refresher
    bad_bodies: list[Any] = [
        ["v-basic"],
        {"videos": "v-basic"},
        {"videos": [1]},
        {"videos": [""]},
        {"videos": ["x" * 201]},
        {"video_ids": ["v-basic"]},
        {"videos": [f"v-{n}" for n in range(1001)]},
    ]
    for bad in bad_bodies:
        status, answer = await ta.call("POST", "api/refresh/", bad)
        assert status == 400 and list(answer) == ["detail"], bad
    status, answer = await ta.call("POST", "api/refresh/", {}, params={"extract_videos": "maybe"})
    assert status == 400 and list(answer) == ["detail"]
    status, answer = await ta.call("POST", "api/refresh/", {})  # nothing named: nothing to do
    assert status == 200 and answer["message"] == "reindex task started"
    assert refresher.queued() == 0
    for query in ({"id": "v-basic"}, {"type": "videos"}, {"type": "../video"}):
        status, answer = await ta.call("GET", "api/refresh/", params=query)
        assert status == 400 and list(answer) == ["detail"], query
    state = await ta.get("api/refresh/", params={"type": "channel"})
    assert state == {"total_queued": 0, "type": "channel", "state": "empty"}
