"""The fixture site and its yt-dlp plugin, exercised with real yt-dlp and ffmpeg."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest
import yt_dlp

from tests.fixtures.catalog import CHANNEL
from tests.fixtures.hls import Segment, live_playlist
from tests.fixtures.media import MediaLibrary
from tests.fixtures.pytest_plugin import PLUGIN_DIR
from tests.fixtures.site import FixtureSite


def downloader(**params: Any) -> Any:
    quiet = {"quiet": True, "no_warnings": True, "noprogress": True, "cachedir": False}
    return yt_dlp.YoutubeDL({**quiet, **params})


def extract(url: str, download: bool = False, **params: Any) -> dict[str, Any]:
    with downloader(**params) as ydl:
        info: dict[str, Any] = ydl.extract_info(url, download=download)
    return info


def fetch(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        with error:  # it holds the connection open until closed
            return error.code, dict(error.headers), error.read()


def media_bytes(library: MediaLibrary, name: str = "clip.mp4") -> bytes:
    return library.path(name).read_bytes()


def probe_duration(path: Path) -> float:
    command = ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json"]
    result = subprocess.run([*command, str(path)], capture_output=True, check=True, text=True)
    return float(json.loads(result.stdout)["format"]["duration"])


def test_plugin_extracts_metadata(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/watch/v-basic"))

    assert info["extractor_key"] == "TubestashFixture"
    assert {k: info[k] for k in ("id", "title", "description", "upload_date", "duration")} == {
        "id": "v-basic",
        "title": "Basic fixture video",
        "description": "The plain case.",
        "upload_date": "20240115",
        "duration": 3,
    }
    assert (info["uploader"], info["channel"], info["channel_id"]) == (
        "Fixture Uploader",
        "Fixture Channel",
        "ch-test",
    )
    assert info["availability"] == "public"
    assert info["tags"] == ["fixture", "basic"]
    assert info["thumbnail"] == fixture_site.url("/thumb/v-basic.jpg")
    assert info["webpage_url"] == fixture_site.url("/watch/v-basic")
    assert info["filesize"] == fixture_site.library.path("clip.mp4").stat().st_size


def test_watch_page_json_ld_serves_the_generic_extractor(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/watch/v-basic?rate=200000"), allowed_extractors=["generic"])

    assert info["extractor_key"] == "Generic"
    assert (info["title"], info["duration"], info["upload_date"]) == (
        "Basic fixture video",
        3,
        "20240115",
    )
    assert info["url"] == fixture_site.url("/media/clip.mp4?rate=200000")


def test_needs_auth_and_long_videos_carry_their_metadata(fixture_site: FixtureSite) -> None:
    assert extract(fixture_site.url("/watch/v-auth"))["availability"] == "needs_auth"
    assert extract(fixture_site.url("/watch/v-long"))["duration"] == 3600


def test_download_equals_source_clip(fixture_site: FixtureSite, tmp_path: Path) -> None:
    info = extract(
        fixture_site.url("/watch/v-basic"), download=True, outtmpl=str(tmp_path / "%(id)s.%(ext)s")
    )

    downloaded = Path(info["requested_downloads"][0]["filepath"])
    assert downloaded.read_bytes() == media_bytes(fixture_site.library)


@pytest.mark.parametrize(
    ("spec", "format_id", "height"),
    [
        # The 360p file has audio already, so yt-dlp adds no separate audio stream.
        ("bv*[height<=360]+ba/b[height<=360]", "mp4-360", 360),
        ("bv*+ba/b", "mp4-720", 720),
        ("ba", "m4a-audio", None),
    ],
)
def test_format_selection(
    fixture_site: FixtureSite, tmp_path: Path, spec: str, format_id: str, height: int | None
) -> None:
    info = extract(
        fixture_site.url("/watch/v-multi"),
        download=True,
        format=spec,
        outtmpl=str(tmp_path / "%(id)s.%(ext)s"),
    )

    assert (info["format_id"], info["height"]) == (format_id, height)
    assert Path(info["requested_downloads"][0]["filepath"]).stat().st_size > 0


def test_watch_query_flows_into_format_urls(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/watch/v-multi?rate=200000"))

    assert {f["url"].rsplit("?", 1)[1] for f in info["formats"]} == {"rate=200000"}


def test_flat_playlist_lists_without_fetching_videos(fixture_site: FixtureSite) -> None:
    watches, videos, pages = (fixture_site.hits(p) for p in ("/watch", "/api/video", "/api/"))

    info = extract(fixture_site.url("/playlist/pl-big"), extract_flat="in_playlist")

    ids = [entry["id"] for entry in info["entries"]]
    assert ids == [f"gen-{n:04d}" for n in range(1, 1001)]
    assert info["entries"][0]["ie_key"] == "TubestashFixture"
    assert info["playlist_count"] == 1000
    assert fixture_site.hits("/watch") == watches
    assert fixture_site.hits("/api/video") == videos
    assert fixture_site.hits("/api/") - pages == 20


def test_playlist_pages_are_fetched_lazily(fixture_site: FixtureSite) -> None:
    pages = fixture_site.hits("/api/playlist/pl-big")
    with downloader() as ydl:
        info = ydl.extract_info(fixture_site.url("/playlist/pl-big"), download=False, process=False)
        entries = info["entries"]
        first = [next(entries)["id"] for _ in range(51)]

    assert first[-1] == "gen-0051"
    assert fixture_site.hits("/api/playlist/pl-big") - pages == 2


def test_synthetic_playlist_size_and_synthetic_watch_pages(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/playlist/pl-gen?count=1500"), extract_flat="in_playlist")

    assert len(info["entries"]) == 1500
    assert info["entries"][-1]["id"] == "gen-1500"
    video = extract(info["entries"][-1]["url"])
    assert (video["id"], video["title"]) == ("gen-1500", "Generated video 1500")


def test_channel_lists_the_catalog(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/channel/ch-test"), extract_flat="in_playlist")

    assert [entry["id"] for entry in info["entries"]] == list(CHANNEL.video_ids)
    assert info["channel_id"] == "ch-test"


def test_slow_playlist_pages_are_served(fixture_site: FixtureSite) -> None:
    # Its pages wait (catalog: page_delay); how long is the catalog's data, not asserted:
    # wall-clock bounds are not tests here (see bench/README.md).
    status, _, body = fetch(fixture_site.url("/api/playlist/pl-slow?page=2"))

    assert status == 200
    assert json.loads(body)["entries"][0]["id"] == "gen-0051"


def test_feed_links_to_watch_pages(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/feed.xml"), extract_flat="in_playlist")

    urls = [entry["url"].split("#", 1)[0] for entry in info["entries"]]
    assert urls == [fixture_site.url(f"/watch/{video_id}") for video_id in CHANNEL.video_ids]


@pytest.mark.parametrize("query", ["", "?rate=10000000"], ids=["sendfile", "paced"])
@pytest.mark.parametrize(
    ("header", "start", "stop"),
    [("bytes=100-1099", 100, 1100), ("bytes=-10", -10, None), ("bytes=5000-", 5000, None)],
)
def test_range_requests(
    fixture_site: FixtureSite, query: str, header: str, start: int, stop: int | None
) -> None:
    source = media_bytes(fixture_site.library)
    status, headers, body = fetch(fixture_site.url(f"/media/clip.mp4{query}"), Range=header)

    assert status == 206
    assert body == source[start:stop]
    first = start % len(source)
    assert headers["Content-Range"] == f"bytes {first}-{first + len(body) - 1}/{len(source)}"
    assert headers["Content-Type"] == "video/mp4"


@pytest.mark.parametrize("query", ["", "?rate=10000000"], ids=["sendfile", "paced"])
def test_unsatisfiable_range_is_416(fixture_site: FixtureSite, query: str) -> None:
    status, _, _ = fetch(fixture_site.url(f"/media/clip.mp4{query}"), Range="bytes=99999999-")

    assert status == 416


@pytest.mark.parametrize("query", ["", "?rate=10000000"], ids=["sendfile", "paced"])
def test_whole_file_has_type_and_length(fixture_site: FixtureSite, query: str) -> None:
    status, headers, body = fetch(fixture_site.url(f"/media/audio.m4a{query}"))

    assert status == 200
    assert headers["Content-Type"] == "audio/mp4"
    assert (
        int(headers["Content-Length"])
        == len(body)
        == len(media_bytes(fixture_site.library, "audio.m4a"))
    )


def test_a_slow_rate_serves_the_whole_range(fixture_site: FixtureSite) -> None:
    # Paced over several writes (about 1.5 s here); the tests that stop a running download
    # are the ones that need the pace, and wall-clock bounds are not asserted.
    status, _, body = fetch(fixture_site.url("/media/clip.mp4?rate=40000"), Range="bytes=0-59999")

    assert status == 206
    assert body == media_bytes(fixture_site.library)[:60_000]


def test_fail_gives_500_and_a_child_yt_dlp_fails(fixture_site: FixtureSite, tmp_path: Path) -> None:
    assert fetch(fixture_site.url("/media/clip.mp4?fail=1"))[0] == 500

    # A child process, as the app runs yt-dlp: it finds the plugin through PYTHONPATH alone.
    # (In-process, yt-dlp would also leak the failed response's socket into a later test.)
    pythonpath = os.pathsep.join(filter(None, [str(PLUGIN_DIR), os.environ.get("PYTHONPATH")]))
    command = [sys.executable, "-m", "yt_dlp", "--no-cache-dir", "--retries", "0"]
    result = subprocess.run(
        [*command, "-P", str(tmp_path), fixture_site.url("/watch/v-basic?fail=1")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": pythonpath},
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    assert "[tubestash:fixture] v-basic" in result.stdout
    assert "HTTP Error 500" in result.stderr


def test_part_file_is_resumed_with_a_range(fixture_site: FixtureSite, tmp_path: Path) -> None:
    source = media_bytes(fixture_site.library)
    # Zeros, not the real bytes: the result shows that yt-dlp kept them and asked for the rest.
    (tmp_path / "v-basic.mp4.part").write_bytes(bytes(50_000))

    extract(
        fixture_site.url("/watch/v-basic?rate=10000000"),
        download=True,
        outtmpl=str(tmp_path / "%(id)s.%(ext)s"),
    )

    assert (tmp_path / "v-basic.mp4").read_bytes() == bytes(50_000) + source[50_000:]


def test_unknown_ids_are_404(fixture_site: FixtureSite) -> None:
    for path in ("/watch/nope", "/api/video/nope.json", "/api/playlist/nope", "/playlist/ch-test"):
        assert fetch(fixture_site.url(path))[0] == 404, path
    with pytest.raises(yt_dlp.utils.DownloadError, match="404"):
        extract(fixture_site.url("/watch/nope"))


def test_hls_vod_downloads(fixture_site: FixtureSite, tmp_path: Path) -> None:
    info = extract(
        fixture_site.url("/watch/v-hls"), download=True, outtmpl=str(tmp_path / "%(id)s.%(ext)s")
    )

    assert info["protocol"] == "m3u8_native"
    assert 3.5 <= probe_duration(Path(info["requested_downloads"][0]["filepath"])) <= 4.5


def test_live_stream_is_live(fixture_site: FixtureSite) -> None:
    info = extract(fixture_site.url("/watch/v-live"))

    assert info["is_live"] is True
    assert info["live_status"] == "is_live"
    assert info["protocol"].startswith("m3u8")


def test_live_media_sequence_advances(fixture_site: FixtureSite) -> None:
    def media_sequence() -> int:
        playlist = fetch(fixture_site.url("/hls/live.m3u8"))[2].decode()
        assert "#EXT-X-ENDLIST" not in playlist
        [line] = [x for x in playlist.splitlines() if x.startswith("#EXT-X-MEDIA-SEQUENCE:")]
        return int(line.split(":")[1])

    first = media_sequence()
    deadline = time.monotonic() + 10
    while (current := media_sequence()) == first and time.monotonic() < deadline:
        time.sleep(0.1)  # the sequence moves with wall time: there is no event to await
    assert current > first
    segment = fetch(fixture_site.url(f"/hls/live/{current}.ts"))
    assert (segment[0], segment[1]["Content-Type"]) == (200, "video/mp2t")


def test_live_playlist_marks_each_loop() -> None:
    segments = [Segment(f"seg{n}.ts", 1.0) for n in range(4)]

    wrapping = live_playlist(segments, 2.5, lambda n: f"live/{n}.ts")
    wrapped = live_playlist(segments, 4.0, lambda n: f"live/{n}.ts")

    assert "#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-DISCONTINUITY-SEQUENCE:0" in wrapping
    assert "live/3.ts\n#EXT-X-DISCONTINUITY\n#EXTINF:1.000000,\nlive/4.ts" in wrapping
    assert "#EXT-X-MEDIA-SEQUENCE:4\n#EXT-X-DISCONTINUITY-SEQUENCE:1" in wrapped
    assert "#EXT-X-DISCONTINUITY\n" not in wrapped


def test_upcoming_stream_has_no_formats_yet(fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-upcoming")
    with pytest.raises(yt_dlp.utils.DownloadError, match="not started"):
        extract(url)

    info = extract(url, ignore_no_formats_error=True)

    assert info["live_status"] == "is_upcoming"
    assert info["release_timestamp"] > time.time()


@pytest.mark.parametrize("video_id", ["v-escape", "v-absolute"])
def test_hostile_titles_stay_in_the_output_folder(
    fixture_site: FixtureSite, tmp_path: Path, video_id: str
) -> None:
    out = tmp_path / "out"
    info = extract(
        fixture_site.url(f"/watch/{video_id}"),
        download=True,
        paths={"home": str(out)},
        outtmpl="%(title)s.%(ext)s",
    )

    filepath = Path(info["requested_downloads"][0]["filepath"]).resolve()
    assert filepath.parent == out.resolve()
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_large_file_downloads_as_a_direct_file(fixture_site: FixtureSite, tmp_path: Path) -> None:
    large = fixture_site.library.large_file("large-test.mp4", 5_000_000)
    assert probe_duration(large) == pytest.approx(1.0, abs=0.1)

    info = extract(
        fixture_site.url("/media/large-test.mp4"),
        download=True,
        outtmpl=str(tmp_path / "%(id)s.%(ext)s"),
    )

    assert info["extractor_key"] == "Generic"
    assert Path(info["requested_downloads"][0]["filepath"]).read_bytes() == large.read_bytes()
