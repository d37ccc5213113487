"""Watching a download: the Play button, then hls.js playing on-demand segments in Chromium.

Debian's Chromium here plays H.264 and AAC through Media Source Extensions
(``MediaSource.isTypeSupported('video/mp4; codecs="avc1.42E01E,mp4a.40.2"')`` is true), so
these tests play real stream-copied segments, not a fallback.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import add_url, open_app, wait_finished
from tests.fixtures.shared import locked, shared_folder
from tests.fixtures.site import FixtureSite
from tests.player.media import make_library
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

H264_AAC = 'video/mp4; codecs="avc1.42E01E,mp4a.40.2"'
PLAYED_PAST_2S = "() => document.querySelector('[data-testid=\"player-video\"]').currentTime > 2"


@pytest.fixture(scope="module")
def player_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The player tests' folder (tests/player/conftest.py), with at least safe.mp4 in it."""
    with locked(shared_folder(tmp_path_factory, "player-media")) as root:
        return make_library(root, only=("safe.mp4",))


def play(page: Page) -> None:
    """Starts playback the way a page may without a tap: muted."""
    page.get_by_test_id("player-video").evaluate("video => { video.muted = true; video.play() }")
    page.wait_for_function(PLAYED_PAST_2S)


def test_chromium_plays_h264_and_aac_through_mse(page: Page, server: ServerProcess) -> None:
    page.goto(server.base_url + "/")
    assert page.evaluate(f"MediaSource.isTypeSupported({H264_AAC!r})") is True


def test_the_play_button_of_a_finished_download_plays_it(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    uid = add_url(page, fixture_site.url("/watch/gen-3101"))
    done = wait_finished(page, uid)
    with page.expect_response(lambda r: "/api/player/segments/0/" in r.url) as segment:
        done.get_by_test_id("history-play").click()
        expect(page).to_have_url(re.compile(r"#/watch\?file=.+"))
    assert segment.value.status == 200
    assert segment.value.headers["content-type"] == "video/mpegts"
    play(page)
    expect(page.get_by_test_id("player-error")).to_have_count(0)


@pytest.mark.phone
def test_a_phone_plays_a_file_with_its_subtitles(
    page: Page, server: ServerProcess, player_media: Path, tmp_path: Path
) -> None:
    downloads = tmp_path / "server" / "downloads"  # where the `server` fixture keeps them
    for name in ("safe.mp4", "safe.en.srt", "safe.fr.ass", "safe.de.vtt"):
        shutil.copy(player_media / name, downloads / name)
    page.goto(server.base_url + "/#/watch?file=safe.mp4")
    video = page.get_by_test_id("player-video")
    expect(video).to_have_attribute("playsinline", "")
    expect(page.get_by_test_id("player-title")).to_have_text("safe")
    play(page)
    box = video.bounding_box()
    assert box is not None and box["width"] >= 380  # the phone's width, edge to edge
    subtitles = page.get_by_test_id("player-subtitles")
    expect(subtitles.locator("option")).to_have_count(4)  # Off, de, en, fr
    with page.expect_response(lambda r: r.url.endswith("/safe.en.srt.vtt")) as vtt:
        subtitles.select_option(label="EN (srt)")
    assert vtt.value.headers["content-type"] == "text/vtt; charset=UTF-8"
    page.wait_for_function(
        "() => [...document.querySelector('video').textTracks].some(t => t.mode === 'showing')"
    )


def test_play_from_the_files_page_saves_progress_to_the_library(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    """The Files page's Play knows no download id: the Watch page asks the library which
    video the file is, then resumes and saves there as the library's player does."""
    open_app(page, server)
    uid = add_url(page, fixture_site.url("/watch/gen-3101"))
    wait_finished(page, uid)
    item = server.get(f"/api/history/{uid}")
    video_id, name = item["id"], Path(item["filename"]).name
    in_library = f"async () => (await fetch('/api/library/videos/{video_id}')).ok"
    page.wait_for_function(in_library)  # the library takes the finished item in its own time

    page.goto(server.base_url + "/#/files")
    row = page.locator(f'[data-testid="file-row"][data-name="{name}"]')
    with page.expect_response(lambda r: "/api/library/videos?" in r.url) as asked:
        row.get_by_test_id("file-play").click()
    assert asked.value.json()["items"][0]["video_id"] == video_id
    play(page)
    page.get_by_test_id("player-video").evaluate("video => video.pause()")
    saved = (
        f"async () => (await (await fetch('/api/library/videos/{video_id}/progress')).json())"
        ".position > 2"
    )
    page.wait_for_function(saved)
