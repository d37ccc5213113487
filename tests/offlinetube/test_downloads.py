"""OfflineTube's downloads: real downloads from the fixture site, on both mountings."""

from __future__ import annotations

from datetime import datetime

import pytest

from tests.integration.helpers import has_bytes, moved_to_history
from tests.offlinetube.conftest import FIELDS, MakeOfflineTube, OfflineTube, Where


@pytest.mark.parametrize("where", ["port", "prefix"])
async def test_a_video_download_from_start_to_file(ot: OfflineTube, where: Where) -> None:
    body = {"url": ot.site.url("/watch/v-basic"), "quality": "best", "download_type": "video"}
    started = await ot.ok("POST", "/api/download", where, json=body)
    assert set(started) == FIELDS
    uid = started["id"]
    assert started["url"] == body["url"]
    assert started["thumbnail"] == f"/api/thumbnails/{uid}"
    assert started["status"] in ("pending", "downloading")
    assert (started["quality"], started["download_type"]) == ("best", "video")
    assert datetime.fromisoformat(started["created_at"]).tzinfo is not None
    assert started["completed_at"] is None and started["error_message"] is None

    await ot.events.wait_for(moved_to_history(uid))
    listed = await ot.ok("GET", "/api/downloads", where)
    [done] = [download for download in listed if download["id"] == uid]
    assert set(done) == FIELDS
    assert done["status"] == "completed" and done["progress"] == 100.0
    assert done["title"] == "Basic fixture video"
    assert done["filename"] == "Basic fixture video__v-basic.mp4"
    assert done["completed_at"] is not None and done["is_playlist"] is False
    on_disk = ot.file(done).read_bytes()
    assert done["filesize"] == len(on_disk)

    answer = await ot.request("GET", f"/api/download/{uid}/file", where)
    assert answer.status == 200 and answer.body == on_disk
    disposition = answer.headers["Content-Disposition"]
    assert disposition == "attachment; filename*=UTF-8''Basic%20fixture%20video__v-basic.mp4"
    # The native API sees the same item: one queue and history for every door.
    native = await ot.client.get(f"/api/history/{uid}")
    assert (await native.json())["filename"] == done["filename"]


async def test_audio_is_extracted_to_mp3_at_the_asked_bitrate(ot: OfflineTube) -> None:
    done = await ot.completed("/watch/v-second", quality="128kbps", download_type="audio")
    assert (done["download_type"], done["quality"]) == ("audio", "128kbps")
    assert done["filename"] == "Second fixture video__v-second-128kbps.mp3"
    assert done["format_note"] == "MP3 audio, 128kbps"
    assert ot.file(done).read_bytes()[:3] in (b"ID3", b"\xff\xfb", b"\xff\xf3")


async def test_a_video_quality_is_a_height_and_names_the_file(ot: OfflineTube) -> None:
    done = await ot.completed("/watch/v-multi", quality="360", download_type="video")
    assert (done["download_type"], done["quality"]) == ("video", "360p")
    assert done["filename"] == "Multi-format fixture video__v-multi-360p.mp4"
    assert done["format_note"] == "video up to 360p"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"url": "ftp://example.com/x"}, "http"),
        ({"url": ""}, "url"),
        ({"quality": "best"}, "url"),
        ({"url": "https://example.com/v", "download_type": "subtitles"}, "download_type"),
        ({"url": "https://example.com/v", "quality": "huge"}, "quality"),
        ({"url": "https://example.com/v", "download_type": "audio", "quality": "9000k"}, "32"),
    ],
)
async def test_bad_requests_are_400_with_a_detail(
    ot: OfflineTube, body: dict[str, str], words: str
) -> None:
    for answer in await ot.both("POST", "/api/download", json=body):
        assert answer.status == 400 and words in answer.detail
    assert await ot.ok("GET", "/api/downloads") == []


async def test_cancel_stops_a_running_download(ot: OfflineTube) -> None:
    started = await ot.download("/watch/v-basic?rate=4000")
    uid = started["id"]
    await ot.events.wait_for(has_bytes(uid))
    assert await ot.ok("DELETE", f"/api/downloads/{uid}") == {
        "message": "Download cancelled",
        "id": uid,
    }
    cancelled = await ot.ok("GET", f"/api/downloads/{uid}")
    assert cancelled["status"] == "cancelled"
    # Ended: cancelling again is a 400.
    again = await ot.request("DELETE", f"/api/downloads/{uid}", "prefix")
    assert again.status == 400 and "already ended" in again.detail


@pytest.mark.parametrize("remove_files", [True, False])
async def test_remove_deletes_the_download_and_its_file_when_allowed(
    make_ot: MakeOfflineTube, remove_files: bool
) -> None:
    ot = await make_ot(remove_files=remove_files)
    done = await ot.completed("/watch/v-third")
    path = ot.file(done)
    assert path.is_file()
    answer = await ot.ok("DELETE", f"/api/downloads/{done['id']}/remove", "prefix")
    assert answer == {"message": "Download removed", "id": done["id"], "file_deleted": remove_files}
    assert path.exists() is not remove_files
    assert (await ot.request("GET", f"/api/downloads/{done['id']}")).status == 404
    assert await ot.ok("GET", "/api/downloads") == []


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/downloads/no-such-id"),
        ("GET", "/api/download/no-such-id/file"),
        ("DELETE", "/api/downloads/no-such-id"),
        ("DELETE", "/api/downloads/no-such-id/remove"),
        ("GET", "/api/thumbnails/no-such-id"),
    ],
)
async def test_unknown_ids_are_404_with_a_detail(ot: OfflineTube, method: str, path: str) -> None:
    for answer in await ot.both(method, path):
        assert (answer.status, answer.detail) == (404, "Download not found")


async def test_the_file_of_an_unfinished_download_is_refused(ot: OfflineTube) -> None:
    started = await ot.download("/watch/v-basic?rate=4000")
    answer = await ot.request("GET", f"/api/download/{started['id']}/file")
    assert answer.status == 400 and "not completed" in answer.detail
    await ot.ok("DELETE", f"/api/downloads/{started['id']}/remove")


async def test_a_playlist_becomes_a_download_per_entry(ot: OfflineTube) -> None:
    started = await ot.download("/playlist/pl-small", quality="240p")
    assert started["is_playlist"] is True
    await ot.events.wait_for(moved_to_history(started["id"]))
    listed = await ot.ok("GET", "/api/downloads")
    entries = [d for d in listed if d["id"] != started["id"]]
    for entry in entries:
        await ot.events.wait_for(moved_to_history(entry["id"]))
    entries = [await ot.ok("GET", f"/api/downloads/{entry['id']}") for entry in entries]
    by_index = {entry["playlist_index"]: entry for entry in entries}
    assert sorted(by_index) == [1, 2, 3]
    assert by_index[2]["filename"] == "Second fixture video__v-second-240p.mp4"
    assert all(e["is_playlist"] and e["status"] == "completed" for e in entries)
    playlist = await ot.ok("GET", f"/api/downloads/{started['id']}")
    assert (playlist["playlist_total"], playlist["status"]) == (3, "completed")
