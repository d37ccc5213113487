"""The library fills from real downloads of fixture media and is searched over HTTP."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from app import keys
from app.downloads.models import Item, Status
from app.server import database_path
from app.settings import Settings
from tests.conftest import EventLog, MakeClient
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, call, finished


async def download(client: Client, events: EventLog, site: FixtureSite, video: str) -> str:
    item = await add_one(client, site.url(f"/watch/{video}"))
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    await client.app[keys.LIBRARY].settled()
    return str(done["_id"])


async def search(client: Client, q: str) -> dict[str, Any]:
    found: dict[str, Any] = await call(client, "GET", "/api/library/search", params={"q": q})
    return found


def ids(answer: dict[str, Any]) -> list[str]:
    return [hit["video"]["video_id"] for hit in answer["items"]]


async def test_a_finished_download_enters_the_library_with_its_metadata(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    uid = await download(client, events, fixture_site, "v-basic")
    page = await call(client, "GET", "/api/library/videos")
    assert page["pagination"]["total"] == 1
    [video] = page["items"]
    assert video["video_id"] == "v-basic" and video["item_id"] == uid
    assert video["title"] == "Basic fixture video"
    assert video["description"] == "The plain case."
    assert (video["channel_id"], video["channel_name"]) == ("ch-test", "Fixture Channel")
    assert video["published"] == "2024-01-15"
    assert video["tags"] == ["fixture", "basic"]
    assert [s["type"] for s in video["streams"]] == ["video", "audio"]
    assert video["streams"][0]["height"] == 240
    assert (settings.resolved().download_path / video["file"]).is_file()
    assert video["file_size"] > 0
    one = await call(client, "GET", "/api/library/videos/v-basic")
    assert one["title"] == video["title"]
    channel = await call(client, "GET", "/api/library/channels/ch-test")
    assert channel["name"] == "Fixture Channel"
    channels = await call(client, "GET", "/api/library/channels")
    assert [c["channel_id"] for c in channels["items"]] == ["ch-test"]
    missing = await call(client, "GET", "/api/library/videos/nope", status=404)
    assert missing == {"error": "No video 'nope' in the library."}


async def test_search_finds_by_a_description_word_a_prefix_and_suggests_spellings(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await download(client, events, fixture_site, "v-basic")
    await download(client, events, fixture_site, "v-multi")
    assert ids(await search(client, "plain")) == ["v-basic"]  # a word of its description
    assert ids(await search(client, "720p")) == ["v-multi"]
    assert sorted(ids(await search(client, "fixtu"))) == ["v-basic", "v-multi"]  # a prefix
    assert ids(await search(client, "mult FORM")) == ["v-multi"]  # every word, any case
    assert ids(await search(client, "basic")) == ["v-basic"]  # a tag (and its title)
    nothing = await search(client, "fixtrue")
    assert nothing["items"] == [] and nothing["suggestions"][0] == "fixture"
    # FTS5's syntax is no syntax here: quotes and operators are words.
    for text in ('"', "AND OR NOT", "title:x", "a*b(c", "NEAR(x y)"):
        answer = await search(client, text)
        assert answer["items"] == []
    await call(client, "GET", "/api/library/search", status=400)
    await call(client, "GET", "/api/library/search", params={"q": "x" * 501}, status=400)


async def test_progress_is_kept_per_video(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await download(client, events, fixture_site, "v-basic")
    path = "/api/library/videos/v-basic/progress"
    start = await call(client, "GET", path)
    assert start == {"video_id": "v-basic", "user_id": 1, "position": 0.0, "watched": False}
    await call(client, "POST", path, json={"position": 1.5})
    assert (await call(client, "GET", path))["position"] == 1.5
    ended = await call(client, "POST", path, json={"position": 2.9})
    assert ended["watched"] is True  # near the end of 3 s
    await call(client, "POST", path, json={"position": -1}, status=400)
    await call(
        client, "POST", "/api/library/videos/nope/progress", json={"position": 1}, status=404
    )
    await call(client, "DELETE", path)
    assert (await call(client, "GET", path))["position"] == 0.0


async def test_deleting_the_history_item_removes_the_video(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    uid = await download(client, events, fixture_site, "v-basic")
    await call(client, "DELETE", "/api/history", json={"ids": [uid], "type": "done"})
    await client.app[keys.LIBRARY].settled()
    assert (await call(client, "GET", "/api/library/videos"))["items"] == []
    assert (await search(client, "plain"))["items"] == []


async def test_existing_history_is_indexed_in_the_background_on_first_start(
    make_client: MakeClient,
    events: EventLog,
    fixture_site: FixtureSite,
    settings: Settings,
    client: Client,
) -> None:
    await download(client, events, fixture_site, "v-basic")
    await download(client, events, fixture_site, "v-second")
    root = settings.resolved().download_path
    # yt-dlp's .info.json beside an older file: its fields are the library's.
    page = await call(client, "GET", "/api/library/videos", params={"sort": "published"})
    second = next(v for v in page["items"] if v["video_id"] == "v-second")
    info = {
        "id": "v-second",
        "title": "Second",
        "description": "written beside the file",
        "tags": ["sidecar"],
        "channel_id": "ch-side",
        "channel": "Side Channel",
    }
    (root / second["file"]).with_suffix(".info.json").write_text(json.dumps(info))
    await client.close()
    with sqlite3.connect(database_path(settings.resolved())) as db:  # as before the library
        for table in ("library_videos", "library_fts", "library_channels", "library_state"):
            db.execute(f"DELETE FROM {table}")
    again = await make_client(settings)
    indexer = again.app[keys.LIBRARY_INDEXER]
    await indexer.finished.wait()
    status = await call(again, "GET", "/api/library/index")
    assert status == {"running": False, "done": 2, "total": 2, "indexed": True}
    assert ids(await search(again, "plain")) == ["v-basic"]
    assert ids(await search(again, "sidecar beside")) == ["v-second"]
    channels = await call(again, "GET", "/api/library/channels")
    # History alone has no channel id: the channel's name stands in for it.
    assert sorted(c["channel_id"] for c in channels["items"]) == ["Fixture Channel", "ch-side"]
    started = await call(again, "POST", "/api/library/index", status=202)
    assert started["total"] == 2
    await indexer.finished.wait()


async def test_title_matches_rank_before_description_matches_across_pages(client: Client) -> None:
    def video(video_id: str, title: str, description: str) -> Item:
        return Item(
            url=f"https://example.com/{video_id}",
            id=video_id,
            extractor="Example",
            title=title,
            description=description,
            status=Status.FINISHED,
            filename=f"{video_id}.mp4",
        )

    await client.app[keys.LIBRARY].add(
        [
            video("in-text", "Animals", "a zebra crosses " + "the plain " * 3),
            video("in-title", "Zebra at dawn", "grassland"),
            video("elsewhere", "Lions", "nothing striped"),
        ]
    )
    assert ids(await search(client, "zebra")) == ["in-title", "in-text"]
    one = {"q": "zeb", "per_page": 1}
    pages = [
        await call(client, "GET", "/api/library/search", params={**one, "page": n})
        for n in (1, 2, 3)
    ]
    assert [ids(p) for p in pages] == [["in-title"], ["in-text"], []]
    assert [p["pagination"]["total"] for p in pages] == [2, 2, 2]


async def test_the_channel_gets_what_the_task_metadata_step_wrote(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    body = {"name": "Show", "url": fixture_site.url("/channel/ch-test"), "folder": "shows/f"}
    task = await call(client, "POST", "/api/tasks", json=body)
    await call(client, "POST", f"/api/tasks/{task['id']}/metadata")
    root = settings.resolved().download_path
    (root / "shows/f/poster.jpg").write_bytes(b"\xff\xd8\xff poster")  # as if it had art
    item = await add_one(client, fixture_site.url("/watch/v-basic"), folder="shows/f")
    assert (await finished(events, item["_id"]))["status"] == "finished"
    await client.app[keys.LIBRARY].settled()
    channel = await call(client, "GET", "/api/library/channels/ch-test")
    assert channel["description"] == "Every catalog video."
    assert channel["thumbnail"] == "shows/f/poster.jpg"
    assert channel["url"].endswith("/channel/ch-test")
    # A later video without such files keeps what the channel had.
    await download(client, events, fixture_site, "v-second")
    channel = await call(client, "GET", "/api/library/channels/ch-test")
    assert channel["description"] == "Every catalog video."


async def test_the_video_of_a_file_is_found_by_its_path(client: Client) -> None:
    """What the Files page's Play asks: which library video (if any) is this file."""

    def video(video_id: str, filename: str) -> Item:
        return Item(
            url=f"https://example.com/{video_id}",
            id=video_id,
            extractor="Example",
            title=video_id,
            status=Status.FINISHED,
            filename=filename,
        )

    await client.app[keys.LIBRARY].add(
        [video("in-root", "clip.mp4"), video("in-folder", "shows/f/clip.mp4")]
    )
    for file, expected in (
        ("clip.mp4", ["in-root"]),
        ("shows/f/clip.mp4", ["in-folder"]),
        # Other spellings of a path are other files: never a match, never an error.
        ("/clip.mp4", []),
        ("./clip.mp4", []),
        ("shows/f/../f/clip.mp4", []),
        ("shows%2Ff%2Fclip.mp4", []),
        ("CLIP.mp4", []),
        ("missing.mp4", []),
    ):
        page = await call(client, "GET", "/api/library/videos", params={"file": file})
        assert [v["video_id"] for v in page["items"]] == expected, file
        assert page["pagination"]["total"] == len(expected)
    answer = await call(client, "GET", "/api/library/videos", params={"file": ""}, status=400)
    assert list(answer) == ["error"]
    long = await call(client, "GET", "/api/library/videos", params={"file": "a/" * 2000 + "x"})
    assert long["items"] == []
