"""Videos through the layer: downloaded by it, listed, paged, played, searched."""

from __future__ import annotations

from app import keys
from app.downloads.models import Item, Status
from tests.conftest import Client, EventLog
from tests.fixtures.site import FixtureSite
from tests.tubearchivist.client import TaClient
from tests.tubearchivist.helpers import ta_download


async def test_a_video_added_by_url_is_downloaded_listed_and_served(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await ta_download(ta, client, events, fixture_site.url("/watch/v-basic"))
    listing = await ta.get("api/video/")
    assert listing["paginate"] | {"params": ""} == {
        "page_size": 12,
        "page_from": 0,
        "prev_pages": False,
        "current_page": 1,
        "max_hits": False,
        "params": "",
        "last_page": 1,
        "next_pages": [],
        "total_hits": 1,
    }
    [video] = listing["data"]
    assert video["youtube_id"] == "v-basic"
    assert video["title"] == "Basic fixture video"
    assert video["published"] == "2024-01-15"
    assert len(video["date_downloaded"]) == 10 and video["active"] is True
    assert video["channel"]["channel_id"] == "ch-test"
    assert video["channel"]["channel_name"] == "Fixture Channel"
    assert video["streams"][0]["height"] == 240
    assert video["player"] == {
        "watched": False,
        "duration": 3,
        "duration_str": "00m 03s",
        "position": 0.0,
    }
    assert video["vid_thumb_url"] == "/cache/videos/v-basic.jpg"
    assert video["media_url"].startswith("/media/") and video["media_size"] > 0

    item = await ta.get("api/video/v-basic/")
    assert set(item) == {"data", "config"} and item["data"] == video

    status, media = await ta.call("GET", video["media_url"])
    assert status == 200 and len(media) == video["media_size"]
    status, part = await ta.call("GET", video["media_url"], headers={"Range": "bytes=0-9"})
    assert (status, part) == (206, media[:10])
    status, body = await ta.call("GET", video["vid_thumb_url"])
    assert status == 404 and list(body) == ["detail"]  # no thumbnail was written

    for path in ("api/video/nope/", "api/video/nope/progress/", "api/video/nope/comment/"):
        status, body = await ta.call("GET", path)
        assert (status, body) == (404, {"data": False, "error": "video 'nope' not found"})


async def test_progress_and_watched_per_user(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await ta_download(ta, client, events, fixture_site.url("/watch/v-basic"))
    path = "api/video/v-basic/progress/"
    assert await ta.get(path) == {
        "youtube_id": "v-basic",
        "user_id": 1,
        "position": 0.0,
        "watched": False,
    }
    status, body = await ta.call("POST", path, {"position": 2})
    assert status == 200 and body["position"] == 2
    assert (await ta.get("api/video/v-basic/"))["data"]["player"]["position"] == 2
    for bad in ({"position": -1}, {"position": "x"}, {}, {"position": True}):
        status, body = await ta.call("POST", path, bad)
        assert status == 400 and list(body) == ["detail"]
    status, body = await ta.call("DELETE", "api/video/v-basic/progress")  # no slash: Plex
    assert status == 200 and body["position"] == 0
    status, body = await ta.call("POST", "api/watched/", {"id": "v-basic", "is_watched": True})
    assert status == 200
    assert (await ta.get("api/video/v-basic/"))["data"]["player"]["watched"] is True
    status, body = await ta.call("POST", "api/watched/", {"id": "nope", "is_watched": True})
    assert status == 404 and body["data"] is False
    status, _ = await ta.call("POST", "api/watched/", {"id": "v-basic"})
    assert status == 400


async def test_search_similar_and_comments(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await ta_download(
        ta,
        client,
        events,
        fixture_site.url("/watch/v-basic"),
        fixture_site.url("/watch/v-second"),
    )
    found = await ta.get("api/search/", params={"query": "plain"})
    assert [v["youtube_id"] for v in found["results"]["video_results"]] == ["v-basic"]
    assert found["queryType"] == "simple"
    channels = await ta.get("api/search/", params={"query": "Fixture Chan"})
    assert [c["channel_id"] for c in channels["results"]["channel_results"]] == ["ch-test"]
    status, body = await ta.call("GET", "api/search/")
    assert status == 400 and list(body) == ["detail"]

    similar = await ta.get("api/video/v-basic/similar/")
    assert [v["youtube_id"] for v in similar["data"]] == ["v-second"]
    comments = await ta.get("api/video/v-basic/comment/")
    assert comments["data"] == []  # the preset did not ask yt-dlp for comments


async def test_a_cli_client_pages_through_every_video_exactly_once(
    ta: TaClient, client: Client
) -> None:
    items = [
        Item(
            url=f"https://example.com/{n}",
            id=f"gen-{n:03d}",
            extractor="Fixture",
            title=f"Generated {n}",
            status=Status.FINISHED,
            filename=f"gen-{n:03d}.mp4",
        )
        for n in range(30)
    ]
    assert await client.app[keys.LIBRARY].add(items) == 30
    pages = [await ta.get("api/video/", params={"page": n}) for n in (1, 2, 3)]
    assert [p["paginate"]["last_page"] for p in pages] == [3, 3, 3]
    assert [p["paginate"]["next_pages"] for p in pages] == [[2, 3], [3], []]
    assert [p["paginate"]["prev_pages"] for p in pages] == [False, [1], [1, 2]]
    assert [len(p["data"]) for p in pages] == [12, 12, 6]
    assert pages[1]["paginate"]["page_from"] == 12
    assert await ta.get("api/video/", params={"page": 0}) == pages[0]  # 0 and 1 are one
    seen = [v["youtube_id"] for v in await ta.every_page("api/video/")]
    assert sorted(seen) == sorted(i.id for i in items if i.id)
    status, body = await ta.call("GET", "api/video/", params={"page": 4})
    assert status == 404 and list(body) == ["detail"]
    for bad in ("x", "-1", "99999999999"):
        status, body = await ta.call("GET", "api/video/", params={"page": bad})
        assert status == 400 and list(body) == ["detail"]
