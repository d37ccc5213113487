"""yt-dlp-host tasks: rate limits, cleanup with their files, live recordings, base paths."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from pytest_aiohttp import AiohttpClient
from yt_dlp_host_api.exceptions import APIError

from app import keys
from app.server import create_app
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.ytdlp_host.conftest import ADMIN_KEY, Host, host_settings


async def test_task_creation_is_rate_limited_per_key(
    aiohttp_client: AiohttpClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    host = Host(await aiohttp_client(create_app(host_settings(tmp_path, key_rate_limit=2))))
    # Distinct videos: a URL already in the queue is refused as a duplicate.
    for name in ("v-basic", "v-second"):
        await asyncio.to_thread(host.admin.send_task.get_info, fixture_site.url(f"/watch/{name}"))
    url = fixture_site.url("/watch/v-third")
    with pytest.raises(APIError, match="Rate limit exceeded"):
        await asyncio.to_thread(host.admin.send_task.get_info, url)
    headers = {"X-API-Key": ADMIN_KEY}
    answer = await host.client.post("/get_info", json={"url": url}, headers=headers)
    assert answer.status == 429 and int(answer.headers["Retry-After"]) >= 1
    # Status polls are not task creations.
    assert (await host.client.get("/get_keys", headers={"X-API-Key": ADMIN_KEY})).status == 200


async def test_ended_tasks_go_with_their_files(
    aiohttp_client: AiohttpClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    # 0.01 minutes: the sweep runs every half second.
    settings = host_settings(tmp_path, task_cleanup_time=0.01)
    host = Host(await aiohttp_client(create_app(settings)))
    events = EventLog(host.client.app[keys.WIRE])
    result = await asyncio.to_thread(host.admin.get_info, fixture_site.url("/watch/v-basic"))
    task_id = result.status["file"].split("/")[2]
    folder = settings.download_path / "ytdlp-host" / task_id
    assert any(folder.iterdir())
    await events.wait_for(lambda event: event.event.value == "item_deleted")
    status, body = await host.call("GET", f"/status/{task_id}")
    assert (status, body["error"]) == (404, "Task not found")
    assert not folder.exists()
    history = await (await host.client.get("/api/history?type=done")).json()
    assert history["items"] == []
    events.close()


async def test_a_live_recording_has_the_asked_length(
    host: Host, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    from tests.ytdlp_host.test_client import duration_of

    url = fixture_site.url("/watch/v-live")
    result = await asyncio.to_thread(host.admin.get_live_video, url, 2)
    data = await asyncio.to_thread(result.get_file)
    assert 1.0 <= duration_of(data, tmp_path) <= 4.0


async def test_under_a_base_path_the_layer_is_inside_it(
    aiohttp_client: AiohttpClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    client = await aiohttp_client(create_app(host_settings(tmp_path, base_path="/tube")))
    host = Host(client)
    admin = host.as_key(ADMIN_KEY, str(client.make_url("/tube/")))
    result = await asyncio.to_thread(admin.get_info, fixture_site.url("/watch/v-basic"))
    picked = await asyncio.to_thread(result.get_json, ["id"])
    assert picked == {"id": "v-basic"}
    outside = await client.get("/get_keys", headers={"X-API-Key": ADMIN_KEY})
    assert outside.status == 404
    assert (await client.get("/tube/api/ping")).status == 200
