"""The yt-dlp tool endpoints over HTTP: convert, options, url/info (cached), archive ids."""

from __future__ import annotations

import asyncio
from typing import Any

from app.settings import Settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, call


async def test_convert(client: Client) -> None:
    answer = await call(
        client,
        "POST",
        "/api/yt-dlp/convert/",
        json={"args": "--write-sub --embed-subs -o '%(id)s.%(ext)s' -P media --no-progress"},
    )
    assert answer["opts"]["writesubtitles"] is True
    assert answer["output_template"] == "%(id)s.%(ext)s"
    assert answer["download_path"] == "media"
    assert answer["removed_options"] == ["--no-progress"]
    plain = await call(client, "POST", "/api/yt-dlp/convert", json={"args": "-x"})
    assert "removed_options" not in plain


async def test_convert_errors(client: Client) -> None:
    bad = await call(client, "POST", "/api/yt-dlp/convert", json={"args": "--nope"}, status=400)
    assert bad["error"].startswith("Failed to parse command options for yt-dlp. '")
    refused = await call(
        client, "POST", "/api/yt-dlp/convert", json={"args": "--exec ls"}, status=400
    )
    assert "--exec" in refused["error"]
    await call(client, "POST", "/api/yt-dlp/convert", json={"nope": 1}, status=400)
    await call(client, "POST", "/api/yt-dlp/convert", data=b"{", status=400)


async def test_options_catalog(client: Client) -> None:
    catalog = await call(client, "GET", "/api/yt-dlp/options")
    formats = next(o for o in catalog if "--format" in o["flags"])
    assert "-f" in formats["flags"] and formats["group"] and formats["description"]


async def _info(client: Client, url: str, status: int = 200, **query: str) -> Any:
    return await call(
        client, "GET", "/api/yt-dlp/url/info", params={"url": url, **query}, status=status
    )


async def test_url_info_is_cached(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-second")
    fixture_site.reset_hits()
    first, second = await asyncio.gather(_info(client, url), _info(client, url))
    assert first["title"] == second["title"] == "Second fixture video"
    assert first["_cached"]["status"] == second["_cached"]["status"] == "miss"
    assert fixture_site.hits("/api/video/v-second") == 1  # both requests shared one extraction

    again = await _info(client, url)
    cached = again["_cached"]
    assert cached["status"] == "hit" and cached["preset"] == "default" and cached["ttl"] == 300
    assert 0 < cached["ttl_left"] <= 300 and cached["key"] == first["_cached"]["key"]
    assert fixture_site.hits("/api/video/v-second") == 1

    forced = await _info(client, url, force="true")
    assert forced["_cached"]["status"] == "miss"
    assert fixture_site.hits("/api/video/v-second") == 2


async def test_url_info_preset_and_args(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-multi")
    info = await _info(client, url, preset="720p", args="--no-playlist")
    assert info["height"] == 720 and info["_cached"]["preset"] == "720p"
    assert info["_cached"]["cli_args"] == "--no-playlist"
    other = await _info(client, url, preset="audio_m4a")
    assert other["_cached"]["key"] != info["_cached"]["key"]
    assert other["vcodec"] == "none"


async def test_url_info_errors(client: Client, fixture_site: FixtureSite) -> None:
    await call(client, "GET", "/api/yt-dlp/url/info", status=400)
    await _info(client, "not a url", status=400)
    await _info(client, "file:///etc/passwd", status=400)
    missing = await _info(client, fixture_site.url("/watch/v-basic"), preset="nope", status=404)
    assert "nope" in missing["error"]
    await _info(client, fixture_site.url("/watch/v-basic"), args="--exec ls", status=400)
    failed = await _info(client, fixture_site.url("/watch/does-not-exist"), status=400)
    assert failed["error"]


async def test_archive_ids(client: Client, fixture_site: FixtureSite) -> None:
    urls = [fixture_site.url("/watch/v-basic"), "https://example.com/nothing", 5]
    answer = await call(client, "POST", "/api/yt-dlp/archive_id/", json=urls)
    assert [a["index"] for a in answer] == [0, 1, 2]
    assert answer[0]["id"] == "v-basic" and answer[0]["error"] is None
    assert answer[0]["archive_id"] == f"{answer[0]['ie_key'].lower()} v-basic"
    assert answer[1]["archive_id"] is None and answer[1]["error"]
    assert answer[2]["error"] == "Not a URL."
    await call(client, "POST", "/api/yt-dlp/archive_id", json={"url": "x"}, status=400)


async def test_url_info_with_preset_cookies_leaves_no_cookie_file(
    client: Client, fixture_site: FixtureSite, settings: Settings
) -> None:
    cookies = "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tsession\tabc\n"
    await call(client, "POST", "/api/presets", json={"name": "signed", "cookies": cookies})
    info = await _info(client, fixture_site.url("/watch/v-third"), preset="signed")
    assert info["id"] == "v-third" and info["_cached"]["preset"] == "signed"
    temp = settings.resolved().temp_path
    assert not [p for p in temp.rglob("*") if "cookies" in p.name]
