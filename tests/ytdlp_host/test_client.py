"""yt-dlp-host over real HTTP with its author's client: tasks, files, info, keys, errors.

The client is synchronous (``requests``) and polls ``/status`` once a second: it runs in a
thread while the server runs on the test's loop.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path

import pytest
from yt_dlp_host_api.exceptions import APIError

from tests.fixtures.site import FixtureSite
from tests.ytdlp_host.conftest import ADMIN_KEY, Host

DOWNLOADER = ["get_video", "get_audio", "get_live_video", "get_live_audio", "get_info"]


def duration_of(data: bytes, tmp: Path) -> float:
    path = tmp / "probe.bin"
    path.write_bytes(data)
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json"]
    output = subprocess.run([*command, str(path)], capture_output=True, check=True).stdout
    return float(json.loads(output)["format"]["duration"])


async def test_a_video_task_runs_as_a_queue_item_and_serves_its_file(
    host: Host, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    url = fixture_site.url("/watch/v-basic")
    task = await asyncio.to_thread(host.admin.send_task.get_video, url)
    status, body = await host.call("GET", f"/status/{task.task_id}")
    assert status == 200 and body["status"] in ("waiting", "processing", "completed")
    assert body["task_type"] == "get_video" and body["url"] == url
    result = await asyncio.to_thread(task.get_result)
    assert result.status["file"] == f"/files/{task.task_id}/video.mp4"
    data = await asyncio.to_thread(result.get_file)
    assert data[4:8] == b"ftyp" and duration_of(data, tmp_path) > 2
    # The task is an item of the native history, in a folder of its own.
    answer = await host.client.get("/api/history?type=done")
    items = (await answer.json())["items"]
    assert [item["folder"] for item in items] == [f"ytdlp-host/{task.task_id}"]


async def test_a_clip_of_audio_has_the_asked_duration(
    host: Host, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    url = fixture_site.url("/watch/v-multi")
    client = host.admin
    result = await asyncio.to_thread(
        client.get_audio, url, output_format="mp3", start_time=0.5, end_time=2, force_keyframes=True
    )
    assert result.status["file"].endswith("/audio.mp3")
    data = await asyncio.to_thread(result.get_file)
    assert 1.2 <= duration_of(data, tmp_path) <= 1.8


async def test_a_video_clip_has_the_asked_duration(
    host: Host, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    url = fixture_site.url("/watch/v-basic")
    result = await asyncio.to_thread(
        host.admin.get_video, url, start_time=1, end_time=2, force_keyframes=True
    )
    data = await asyncio.to_thread(result.get_file)
    assert 0.7 <= duration_of(data, tmp_path) <= 1.3


async def test_info_with_fields_and_qualities(host: Host, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-multi")
    result = await asyncio.to_thread(host.admin.get_info, url)
    assert result.status["file"].endswith("/info.json")
    full = await asyncio.to_thread(result.get_json)
    assert full["id"] == "v-multi" and "formats" in full
    # The client sends "?title&duration&": only those keys come back.
    picked = await asyncio.to_thread(result.get_json, ["title", "duration"])
    assert picked == {"title": "Multi-format fixture video", "duration": full["duration"]}
    qualities = (await asyncio.to_thread(result.get_json, ["qualities"]))["qualities"]
    assert set(qualities["video"]) == {"mp4-360", "mp4-720"}
    assert qualities["video"]["mp4-720"]["height"] == 720
    assert set(qualities["audio"]) == {"m4a-audio"}
    assert qualities["audio"]["m4a-audio"]["acodec"] == "mp4a.40.2"


async def test_keys_through_the_client(host: Host) -> None:
    admin = host.admin
    created = await asyncio.to_thread(admin.create_key, "friend", DOWNLOADER, True)
    assert created["name"] == "friend" and created["key"].startswith("ytp_")
    friend = host.as_key(created["key"])
    assert await asyncio.to_thread(friend.check_permissions, ["get_video", "get_info"])
    assert not await asyncio.to_thread(friend.check_permissions, ["create_key"])
    keys = await asyncio.to_thread(admin.get_keys)
    assert set(keys) == {"admin", "friend"}
    assert sorted(keys["friend"]["permissions"]) == sorted(DOWNLOADER)
    # Keys are stored hashed: lists show their first characters only.
    shown = await asyncio.to_thread(admin.get_key, "friend")
    assert created["key"].startswith(shown.rstrip("…")) and shown != created["key"]
    # A downloader cannot manage keys.
    with pytest.raises(APIError, match="Insufficient permissions"):
        await asyncio.to_thread(friend.create_key, "other", ["get_info"])
    with pytest.raises(APIError, match="Insufficient permissions"):
        await asyncio.to_thread(friend.get_keys)
    deleted = await asyncio.to_thread(admin.delete_key, "friend")
    assert deleted == {"name": "friend", "message": "API key deleted successfully"}
    with pytest.raises(APIError, match="Invalid API key"):
        await asyncio.to_thread(friend.get_info, "https://example.com/x")


async def test_a_key_cannot_grant_what_it_lacks(host: Host) -> None:
    maker = await asyncio.to_thread(
        host.admin.create_key, "maker", ["create_key", "get_info"], False
    )
    client = host.as_key(maker)
    made = await asyncio.to_thread(client.create_key, "info-only", ["get_info"], True)
    assert made["name"] == "info-only"
    with pytest.raises(APIError, match="permissions its creator does not have"):
        await asyncio.to_thread(client.create_key, "more", ["get_video"])


async def test_errors_answer_json_with_error(host: Host, fixture_site: FixtureSite) -> None:
    assert await host.call("GET", "/get_keys", key=None) == (
        401,
        {"error": "No API key provided.", "message": "No API key provided."},
    )
    status, body = await host.call("GET", "/get_keys", key="ytp_wrong")
    assert (status, body["error"]) == (401, "Invalid API key.")
    status, body = await host.call("GET", "/status/nope")
    assert (status, body) == (404, {"error": "Task not found", "message": "Task not found"})
    status, body = await host.call("POST", "/get_video", json={"url": "file:///etc/passwd"})
    assert status == 400 and "http" in body["error"]
    status, body = await host.call(
        "POST", "/get_video", json={"url": fixture_site.url("/watch/v-basic"), "end_time": -1}
    )
    assert status == 400 and "end_time" in body["error"]
    status, body = await host.call(
        "POST", "/get_video", json={"url": "https://x.example/", "video_format": "a b"}
    )
    assert status == 400
    status, body = await host.call("POST", "/check_permissions", json={"permissions": ["nope"]})
    assert status == 403
    status, body = await host.call("POST", "/create_key", json={"name": "../x", "permissions": []})
    assert status == 400
    # A URL that cannot be identified is refused when the task is asked for, with why.
    with pytest.raises(APIError, match="HTTP Error 404"):
        await asyncio.to_thread(
            host.admin.send_task.get_video, fixture_site.url("/watch/does-not-exist")
        )


async def test_a_task_belongs_to_its_key(host: Host, fixture_site: FixtureSite) -> None:
    one = await asyncio.to_thread(host.admin.create_key, "one", DOWNLOADER)
    two = await asyncio.to_thread(host.admin.create_key, "two", DOWNLOADER)
    task = await asyncio.to_thread(
        host.as_key(one).send_task.get_info, fixture_site.url("/watch/v-basic")
    )
    status, body = await host.call("GET", f"/status/{task.task_id}", key=two)
    assert status == 403 and "another API key" in body["error"]
    status, _ = await host.call("GET", f"/status/{task.task_id}", key=one)
    assert status == 200
    status, _ = await host.call("GET", f"/status/{task.task_id}", key=ADMIN_KEY)
    assert status == 200


async def test_file_names_never_leave_the_task_folder(
    host: Host, fixture_site: FixtureSite
) -> None:
    result = await asyncio.to_thread(host.admin.get_info, fixture_site.url("/watch/v-basic"))
    task_id = result.status["file"].split("/")[2]
    for name in ("..%2F..%2Fconfig%2Ftubestash.db", "%2E%2E", "..", "%2Fetc%2Fpasswd"):
        status, body = await host.call("GET", f"/files/{task_id}/{name}")
        assert status in (400, 404), (name, status, body)
        assert "error" in body
