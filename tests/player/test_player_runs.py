"""The player's ffmpeg runs: cached, shared, bounded, killed when the viewer leaves; and the
doors in front of them (paths that leave the root, credentials)."""

from __future__ import annotations

import asyncio
import base64
import shutil
from pathlib import Path
from urllib.parse import urlencode

import pytest
from yarl import URL

from app import keys
from app.player.runs import RunStats
from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.player.conftest import stock
from tests.player.test_player_api import fetch, playlist, segments_of

SECRET_CUE = "SECRET CUE"


async def test_the_same_segment_is_made_once(client: Client) -> None:
    runs = client.app[keys.PLAYER].runs
    first = await fetch(client, "/api/player/segments/0/safe.mp4.ts")
    again = await fetch(client, "/api/player/segments/0/safe.mp4.ts")
    assert first == again
    assert runs.stats.started == 1 and runs.stats.cache_hits == 1
    # Asked for twice at once: both wait on one ffmpeg run.
    both = await asyncio.gather(
        *(fetch(client, "/api/player/segments/1/safe.mp4.ts?vc=1") for _ in range(2))
    )
    assert both[0] == both[1]
    assert runs.stats.started == 2


async def test_no_more_ffmpeg_processes_than_the_setting(
    tmp_path: Path, player_media: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path, player_max_processes=1)
    stock(settings.download_path, player_media)
    client = await make_client(settings)
    urls = [f"/api/player/segments/{i}/safe.mp4.ts?vc=1&ac=1" for i in range(3)]
    bodies = await asyncio.gather(*(fetch(client, url) for url in urls))
    assert all(body[:1] == b"G" for body in bodies)
    stats = client.app[keys.PLAYER].runs.stats
    assert stats.started == 3 and stats.peak == 1


async def test_a_viewer_who_leaves_stops_the_ffmpeg_work(client: Client) -> None:
    runs = client.app[keys.PLAYER].runs
    # A minute of 1080p encoded in one segment: ffmpeg is busy for many seconds.
    path = "/api/player/segments/0/long.mp4.ts?sd=60&vc=1&ac=1"
    reader, writer = await asyncio.open_connection(client.host, client.port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: {client.host}\r\n\r\n".encode())
    await writer.drain()
    await asyncio.wait_for(runs.wait_until(lambda s: s.running == 1), 60)
    writer.close()
    await writer.wait_closed()

    def ended(stats: RunStats) -> bool:
        return stats.running == 0 and stats.killed == 1

    await asyncio.wait_for(runs.wait_until(ended), 60)
    assert runs.stats.started == 1
    assert await reader.read() == b""  # no answer was sent


@pytest.fixture
def outside(tmp_path: Path, settings: Settings) -> Path:
    """A folder beside the download root, and symlinks from inside the root to it."""
    folder = tmp_path / "outside"
    folder.mkdir()
    shutil.copy(settings.download_path / "safe.mp4", folder / "secret.mp4")
    (folder / "secret.srt").write_text(f"1\n00:00:01,000 --> 00:00:02,000\n{SECRET_CUE}\n")
    (settings.download_path / "link.mp4").symlink_to(folder / "secret.mp4")
    (settings.download_path / "link.srt").symlink_to(folder / "secret.srt")
    (settings.download_path / "linkdir").symlink_to(folder, target_is_directory=True)
    return folder


def spellings(outside: Path, name: str) -> list[str]:
    """Ways to name ``outside/<name>`` from the download root, as raw URL path text."""
    absolute = str(outside / name)
    return [
        f"../outside/{name}",
        f"%2e%2e/outside/{name}",
        f"..%2foutside%2f{name}",
        f"%2E%2E%2Foutside%2F{name}",
        f"..%5coutside%5c{name}",
        f"sub/../../outside/{name}",
        f"./%2e%2e/outside/{name}",
        absolute.replace("/", "%2F"),
        "/" + absolute,
        f"link{Path(name).suffix}",
        f"linkdir/{name}",
        f"{name}%00",
    ]


async def test_paths_that_leave_the_download_root_are_refused(
    client: Client, outside: Path
) -> None:
    forms = {
        "secret.mp4": [
            "/api/player/playlist/{}.m3u8",
            "/api/player/m3u8/video/{}.m3u8",
            "/api/player/segments/0/{}.ts",
        ],
        "secret.srt": [
            "/api/player/subtitle/{}.vtt",
            "/api/player/m3u8/subtitle/{}.m3u8?duration=5",
        ],
    }
    refused = 0
    for name, templates in forms.items():
        for template in templates:
            for spelling in spellings(outside, name):
                url = URL(template.format(spelling), encoded=True)
                response = await client.get(url)
                body = await response.read()
                assert response.status in (400, 404), f"{url}: {response.status}"
                assert SECRET_CUE.encode() not in body and b"#EXTM3U" not in body
                refused += 1
    assert refused == 5 * 12
    assert client.app[keys.PLAYER].runs.stats.started == 0


async def test_the_player_is_behind_the_same_credentials(
    tmp_path: Path, player_media: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path, auth_username="viewer", auth_password="s3cret")
    stock(settings.download_path, player_media)
    client = await make_client(settings)
    for url in (
        "/api/player/playlist/safe.mp4.m3u8",
        "/api/player/m3u8/video/safe.mp4.m3u8",
        "/api/player/segments/0/safe.mp4.ts",
        "/api/player/subtitle/safe.en.srt.vtt",
    ):
        assert (await client.get(url)).status == 401
    key = base64.urlsafe_b64encode(b"viewer:s3cret").decode()
    login = {"Authorization": f"Basic {key}"}
    response = await client.get("/api/player/segments/0/safe.mp4.ts", headers=login)
    assert response.status == 200
    # ?apikey= is carried into the URLs of the playlists, so the player's next fetches pass.
    query = urlencode({"apikey": key})
    master = await playlist(client, f"/api/player/playlist/safe.mp4.m3u8?{query}")
    assert master[-1] == f"/api/player/m3u8/video/safe.mp4.m3u8?{query}"
    media = segments_of(await playlist(client, master[-1]))
    assert media[0][1] == f"/api/player/segments/0/safe.mp4.ts?{query}"
    assert (await fetch(client, media[0][1]))[:1] == b"G"
