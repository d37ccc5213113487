"""Presets change what yt-dlp downloads: real downloads checked with ffprobe."""

from __future__ import annotations

import asyncio
from pathlib import Path

from app.settings import Settings
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, call, finished


async def _stream_heights(path: Path, stream: str) -> list[str]:
    process = await asyncio.create_subprocess_exec(
        "ffprobe",
        "-v",
        "error",
        "-select_streams",
        stream,
        "-show_entries",
        "stream=height",
        "-of",
        "csv=p=0",
        str(path),
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode == 0
    return [line.strip(",") for line in out.decode().split()]


async def _download(
    client: Client, events: EventLog, site: FixtureSite, settings: Settings, preset: str
) -> Path:
    item = await add_one(client, site.url("/watch/v-multi"), preset=preset)
    assert item["preset"] == preset
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    path: Path = settings.resolved().download_path / str(done["filename"])
    return path


async def test_720p_preset_downloads_720p(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    path = await _download(client, events, fixture_site, settings, "720p")
    assert await _stream_heights(path, "v:0") == ["720"]


async def test_audio_m4a_preset_has_no_video(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    path = await _download(client, events, fixture_site, settings, "audio_m4a")
    assert path.suffix == ".m4a"
    assert await _stream_heights(path, "v") == []


async def test_user_preset_folder_and_cli(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    await call(
        client,
        "POST",
        "/api/presets",
        json={"name": "small", "folder": "low", "cli": '-f "b[height<=360]"'},
    )
    path = await _download(client, events, fixture_site, settings, "small")
    assert path.parent.name == "low"
    assert await _stream_heights(path, "v:0") == ["360"]


async def test_unknown_preset_is_refused(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-basic")
    result = await call(
        client, "POST", "/api/history", json={"url": url, "preset": "nope"}, status=404
    )
    assert "nope" in result["error"]
