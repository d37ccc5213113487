"""Real downloads through the HTTP API: yt-dlp in children against the fixture site."""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from app import keys
from app.core.wire import EventName
from app.sandbox.guard import WORKDIRS
from app.settings import Settings
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.media import MediaLibrary
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import (
    Client,
    add,
    add_one,
    add_settled,
    call,
    finished,
    has_bytes,
    settled,
    status_is,
)

SLOW = 40_000  # bytes a second: the 160 KB clip takes about 4 s


async def test_download_lands_in_history(
    client: Client,
    events: EventLog,
    fixture_site: FixtureSite,
    media_library: MediaLibrary,
    settings: Settings,
) -> None:
    item = await add_one(client, fixture_site.url("/watch/v-basic"))
    assert item["title"] == "Basic fixture video"
    assert item["id"] == "v-basic"
    assert "cookies" not in item
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    assert done["filename"] == "Basic fixture video.mp4"
    saved = settings.resolved().download_path / done["filename"]
    assert saved.read_bytes() == media_library.path("clip.mp4").read_bytes()
    assert done["file_size"] == saved.stat().st_size
    names = events.names(item["_id"])
    assert names[0] == "item_added"
    assert names.index("item_moved") < len(names) - 1  # a last item_updated follows
    statuses = [
        e.data.get("status")
        for e in events.events
        if e.event == EventName.ITEM_UPDATED and e.item_id == item["_id"]
    ]
    assert "preparing" in statuses and "downloading" in statuses

    stored = await call(client, "GET", f"/api/history/{item['_id']}")
    assert stored["status"] == "finished"
    page = await call(client, "GET", "/api/history?type=done&page=1&per_page=10")
    assert [i["_id"] for i in page["items"]] == [item["_id"]]
    assert page["pagination"] == {
        "page": 1,
        "per_page": 10,
        "total": 1,
        "total_pages": 1,
        "has_next": False,
        "has_prev": False,
    }
    ranged = await client.get(f"/api/download/{done['filename']}", headers={"Range": "bytes=0-99"})
    assert ranged.status == 206
    assert await ranged.read() == media_library.path("clip.mp4").read_bytes()[:100]
    legacy = await call(client, "GET", "/api/history")
    assert legacy["queue"] == [] and [i["_id"] for i in legacy["history"]] == [item["_id"]]


async def test_an_add_answers_once_stored_and_its_items_are_found_at_once(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    urls = [fixture_site.url(f"/watch/gen-00{n}") for n in range(21, 24)]
    answers = await add(client, [{"url": url, "auto_start": False} for url in urls])
    assert [a["status"] for a in answers] == ["queued"] * 3
    assert {a["item"]["status"] for a in answers} == {"preparing"}
    for answer in answers:  # being identified, or queued already: never a 404 in between
        uid = answer["item"]["_id"]
        assert (await call(client, "GET", f"/api/history/{uid}"))["_id"] == uid
    for answer in answers:
        told = await events.wait_for(settled(answer["item"]["_id"]))
        assert told.event == EventName.ITEM_ADDED and told.data["status"] == "pending"


async def test_same_video_twice_is_reported(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    first = await add_one(client, fixture_site.url(f"/watch/v-second?rate={SLOW}"))
    [again] = await add_settled(
        client, {"url": fixture_site.url(f"/watch/v-second?rate={SLOW + 1}")}
    )
    assert again["status"] is False
    assert "already in the queue" in again["msg"]
    refused = await events.wait_for(
        lambda e: e.event == EventName.ITEM_STATUS and e.data["status"] == "error"
    )
    assert refused.data["msg"] == again["msg"]
    live = await call(client, "GET", "/api/history/live")
    assert list(live["queue"]) == [first["_id"]]
    await call(client, "POST", "/api/history/cancel", json={"ids": [first["_id"]]})


async def test_cancel_stops_the_child_and_cleans_up(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    item = await add_one(client, fixture_site.url(f"/watch/v-third?rate={SLOW}"))
    await events.wait_for(status_is(item["_id"], "downloading"))
    pids = client.app[keys.POOL].pids()
    assert pids
    result = await call(client, "POST", "/api/history/cancel", json={"ids": [item["_id"]]})
    assert result == {item["_id"]: "ok"}
    stored = await call(client, "GET", f"/api/history/{item['_id']}")
    assert stored["status"] == "cancelled"
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
    temp = settings.resolved().temp_path
    assert not (temp / item["_id"]).exists()
    assert not any((settings.resolved().download_path).iterdir())
    assert "item_cancelled" in events.names(item["_id"])


async def test_pause_and_start_an_item(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    item = await add_one(client, fixture_site.url("/watch/gen-0042"), auto_start=False)
    live = await call(client, "GET", "/api/history/live")
    assert live["queue"][item["_id"]]["status"] == "pending"
    assert await call(
        client, "POST", "/api/history/start", json={"ids": [item["_id"], "nope"]}
    ) == {item["_id"]: "started", "nope": "not found"}
    done = await finished(events, item["_id"])
    assert done["status"] == "finished"


async def test_pausing_a_running_item_keeps_its_partial_file(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    item = await add_one(client, fixture_site.url(f"/watch/gen-0043?rate={SLOW}"))
    await events.wait_for(has_bytes(item["_id"]))
    result = await call(client, "POST", "/api/history/pause", json={"ids": [item["_id"]]})
    assert result == {item["_id"]: "paused"}
    live = await call(client, "GET", "/api/history/live")
    assert live["queue"][item["_id"]]["status"] == "pending"
    assert live["queue"][item["_id"]]["auto_start"] is False
    assert any((settings.resolved().temp_path / item["_id"]).iterdir())
    await call(client, "POST", "/api/history/cancel", json={"ids": [item["_id"]]})


async def test_system_pause_holds_new_downloads(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await call(client, "POST", "/api/system/pause")
    item = await add_one(client, fixture_site.url("/watch/gen-0044"))
    config = await call(client, "GET", "/api/system/configuration")
    assert config["paused"] is True
    assert config["queue"][item["_id"]]["status"] == "pending"
    await call(client, "POST", "/api/system/resume")
    assert (await finished(events, item["_id"]))["status"] == "finished"
    assert [e.event for e in events.events if e.event in (EventName.PAUSED, EventName.RESUMED)] == [
        EventName.PAUSED,
        EventName.RESUMED,
    ]


@pytest.mark.parametrize("video", ["v-escape", "v-absolute"])
async def test_titles_cannot_leave_the_download_path(
    client: Client,
    events: EventLog,
    fixture_site: FixtureSite,
    settings: Settings,
    video: str,
    tmp_path: Path,
) -> None:
    item = await add_one(client, fixture_site.url(f"/watch/{video}"), folder="sub")
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    root = settings.resolved().download_path
    path = (root / done["filename"]).resolve()
    assert root / "sub" in path.parents
    files = {p for p in tmp_path.rglob("*") if p.is_file()}
    config = settings.resolved().config_path  # the database, the log (config/logs)
    # yt-dlp's cache, shared by the workers (ffmpeg's version), until the next start.
    cache = settings.resolved().temp_path / WORKDIRS / "cache"
    kept = (root, config, cache)
    assert all(any(folder in p.parents for folder in kept) for p in files), files


async def test_temp_on_another_filesystem(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    shm = Path("/dev/shm")
    if not shm.is_dir() or shm.stat().st_dev == tmp_path.stat().st_dev:
        pytest.skip("no second filesystem here")
    # A folder of this test's own: parallel workers and other runs use /dev/shm at once.
    shm_root = Path(os.environ.get("TMPDIR_SHM", shm))
    temp = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="tubestash-", dir=shm_root))
    try:
        settings = make_settings(tmp_path, download_path=tmp_path / "dl", temp_path=temp)
        client: Client = await make_client(settings)
        events = EventLog(client.app[keys.WIRE])
        item = await add_one(client, fixture_site.url("/watch/gen-0045"))
        done = await finished(events, item["_id"])
        assert done["status"] == "finished"
        assert (tmp_path / "dl" / done["filename"]).is_file()
        await client.close()  # the app's workers leave the folder before it goes
    finally:
        await asyncio.to_thread(shutil.rmtree, temp, ignore_errors=True)


async def test_update_and_delete(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    item = await add_one(client, fixture_site.url("/watch/gen-0046"))
    done = await finished(events, item["_id"])
    path = settings.resolved().download_path / done["filename"]
    changed = await call(client, "POST", f"/api/history/{item['_id']}", json={"title": "Mine"})
    assert changed["title"] == "Mine"
    await call(client, "POST", f"/api/history/{item['_id']}", 304, json={"title": "Mine"})
    await call(client, "POST", f"/api/history/{item['_id']}", 400, json={"filename": "/x"})
    # YTP_REMOVE_FILES is off: the record goes, the file stays.
    result = await call(
        client,
        "DELETE",
        "/api/history",
        json={"type": "done", "ids": [item["_id"]], "remove_file": True},
    )
    assert result == {item["_id"]: "deleted"}
    assert path.is_file()
    await call(client, "GET", f"/api/history/{item['_id']}", 404)
    assert "item_deleted" in events.names(item["_id"])


async def test_delete_by_status_removes_files_when_allowed(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, remove_files=True)
    client: Client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    item = await add_one(client, fixture_site.url("/watch/gen-0047"))
    done = await finished(events, item["_id"])
    path = tmp_path / "downloads" / done["filename"]
    assert path.is_file()
    kept = await call(
        client, "DELETE", "/api/history", json={"type": "done", "status": "!finished"}
    )
    assert kept == {"items": {}, "deleted": 0}
    result = await call(
        client, "DELETE", "/api/history", json={"type": "done", "status": "finished"}
    )
    assert result == {"items": {item["_id"]: "deleted"}, "deleted": 1}
    assert not path.exists()


async def test_quick_add_and_queue_listing(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/gen-0048")
    result = await call(client, "GET", f"/api/history/add?url={url}&preset=default")
    assert result["status"] is True
    assert "Generated video" in result["message"]
    [uid] = (await call(client, "GET", "/api/history/live"))["queue"]
    page = await call(client, "GET", "/api/history?type=queue&status=!finished")
    assert [i["_id"] for i in page["items"]] == [uid]
    assert page["pagination"]["total"] == 1
    assert (await call(client, "GET", "/api/history?type=queue&status=finished"))["items"] == []
    await finished(events, uid)


async def test_failed_extraction_is_reported(client: Client, fixture_site: FixtureSite) -> None:
    [result] = await add_settled(client, {"url": fixture_site.url("/watch/does-not-exist")})
    assert result["status"] is False
    assert result["msg"]
    assert (await call(client, "GET", "/api/history/live"))["queue"] == {}


async def test_a_started_download_extracts_once(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    # The child that identified the URL downloads it too: no second fork, no second fetch.
    before = fixture_site.hits("/api/video/gen-0049")
    item = await add_one(client, fixture_site.url("/watch/gen-0049"))
    assert (await finished(events, item["_id"]))["status"] == "finished"
    assert fixture_site.hits("/api/video/gen-0049") - before == 1


async def test_downloads_in_a_row_share_a_worker_and_a_cancel_ends_it(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    pool = client.app[keys.POOL]
    workers = []
    for video in ("gen-0061", "gen-0062", "gen-0063"):
        item = await add_one(client, fixture_site.url(f"/watch/{video}?rate={SLOW * 4}"))
        await events.wait_for(status_is(item["_id"], "downloading"))
        workers.append(pool.pids())
        if video == "gen-0063":
            await call(client, "POST", "/api/history/cancel", json={"ids": [item["_id"]]})
        else:
            assert (await finished(events, item["_id"]))["status"] == "finished"
    assert workers[0] == workers[1] == workers[2]
    [pid] = workers[0]
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)


async def test_a_paused_add_leaves_no_waiting_child(
    client: Client, fixture_site: FixtureSite
) -> None:
    await add_one(client, fixture_site.url("/watch/gen-0050"), auto_start=False)
    assert client.app[keys.POOL].pids() == []


async def test_per_extractor_limit(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, max_workers=2, max_workers_per_extractor=1)
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    first = await add_one(client, fixture_site.url(f"/watch/gen-0051?rate={SLOW}"))
    second = await add_one(client, fixture_site.url(f"/watch/gen-0052?rate={SLOW}"))
    await events.wait_for(has_bytes(first["_id"]))
    live = await call(client, "GET", "/api/history/live")
    assert live["queue"][second["_id"]]["status"] == "pending"  # same site: it waits
    await call(client, "POST", "/api/history/cancel", json={"ids": [first["_id"]]})
    await events.wait_for(has_bytes(second["_id"]))
    await call(client, "POST", "/api/history/cancel", json={"ids": [second["_id"]]})
