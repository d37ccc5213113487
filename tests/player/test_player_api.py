"""/api/player/...: playlists, segments that join without gaps, subtitles as WebVTT."""

from __future__ import annotations

import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from app import keys
from app.settings import Settings
from tests.blocking import loop_guard
from tests.conftest import Client
from tests.player.media import FPS, SAFE_SECONDS, holes, media_duration, overlaps, packets

M3U8 = "application/x-mpegURL"


async def fetch(client: Client, url: str, status: int = 200) -> bytes:
    response = await client.get(url)
    body = await response.read()
    assert response.status == status, f"{url}: {response.status} {body[:300]!r}"
    return body


async def playlist(client: Client, url: str) -> list[str]:
    response = await client.get(url)
    text = await response.text()
    assert response.status == 200, text
    assert response.headers["Content-Type"] == M3U8
    return text.splitlines()


def segments_of(lines: list[str]) -> list[tuple[float, str]]:
    """(``#EXTINF`` duration, URL) of each segment of a media playlist."""
    return [
        (float(line.removeprefix("#EXTINF:").rstrip(",")), lines[number + 1])
        for number, line in enumerate(lines)
        if line.startswith("#EXTINF:")
    ]


async def test_the_multivariant_playlist_names_the_video_and_every_subtitle_sidecar(
    client: Client,
) -> None:
    with loop_guard() as blocking:  # ffprobe, the folder listed for sidecars
        lines = await playlist(client, "/api/player/playlist/safe.mp4.m3u8")
    assert blocking == []
    assert lines[0] == "#EXTM3U"
    media = [line for line in lines if line.startswith("#EXT-X-MEDIA:")]
    assert len(media) == 3
    uris = sorted(line.split('URI="')[1].rstrip('"') for line in media)
    for uri, name in zip(uris, ["safe.de.vtt", "safe.en.srt", "safe.fr.ass"], strict=True):
        parts = urlsplit(uri)
        assert parts.path == f"/api/player/m3u8/subtitle/{name}.m3u8"
        assert math.isclose(float(parse_qs(parts.query)["duration"][0]), SAFE_SECONDS, abs_tol=0.1)
    assert all('TYPE=SUBTITLES,GROUP-ID="subs"' in line for line in media)
    assert 'LANGUAGE="en"' in " ".join(media)
    stream = lines.index(next(line for line in lines if line.startswith("#EXT-X-STREAM-INF:")))
    assert 'SUBTITLES="subs"' in lines[stream]
    assert lines[stream + 1] == "/api/player/m3u8/video/safe.mp4.m3u8"


async def test_the_media_playlist_covers_the_file_in_six_second_segments(
    client: Client, settings: Settings
) -> None:
    lines = await playlist(client, "/api/player/m3u8/video/safe.mp4.m3u8")
    assert lines[:5] == [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        "#EXT-X-TARGETDURATION:6",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]
    assert lines[-1] == "#EXT-X-ENDLIST"
    segments = segments_of(lines)
    assert [d for d, _ in segments[:-1]] == [6.0] * (len(segments) - 1)
    total = media_duration(settings.download_path / "safe.mp4")
    assert math.isclose(sum(d for d, _ in segments), total, abs_tol=0.001)
    # A browser plays H.264 and AAC: nothing to encode, no parameters.
    assert [url for _, url in segments] == [
        f"/api/player/segments/{i}/safe.mp4.ts" for i in range(len(segments))
    ]


# ffprobe runs: two for the file, then one per batch of seek points (up to ten of them,
# those at least 10 s from the end; closer ones alone): 20 s → 6, 12, 18; 60 s → 6-48, 54.
@pytest.mark.parametrize(
    ("name", "seconds", "fps", "probes"),
    [("safe.mp4", SAFE_SECONDS, FPS, 2 + 3), ("long.mp4", 60, 10, 2 + 2)],
)
async def test_copied_segments_join_without_gaps_or_overlaps(
    client: Client, tmp_path: Path, name: str, seconds: int, fps: int, probes: int
) -> None:
    lines = await playlist(client, f"/api/player/m3u8/video/{name}.m3u8")
    video, audio = [], []
    with loop_guard() as blocking:
        for index, (_, url) in enumerate(segments_of(lines)):
            response = await client.get(url)
            assert response.status == 200
            assert response.headers["Content-Type"] == "video/mpegts"
            ts = tmp_path / f"{index}.ts"
            ts.write_bytes(await response.read())
            found = packets(ts, index)
            assert found["video"] and found["audio"], f"segment {index} is empty"
            video += found["video"]
            audio += found["audio"]
    assert blocking == []
    # Every frame of the source exactly once: keyframe-aligned cuts, continuous timestamps.
    assert len(video) == seconds * fps
    assert holes(video) == [] and overlaps(video) == []
    assert holes(audio) == [] and overlaps(audio) == []
    first = min(p.pts for p in video)
    assert math.isclose(max(p.pts + p.duration for p in video) - first, seconds)
    assert client.app[keys.PLAYER].prober.runs == probes


async def test_encoded_segments_join_without_gaps(client: Client, tmp_path: Path) -> None:
    lines = await playlist(client, "/api/player/m3u8/video/vp9.webm.m3u8")
    segments = segments_of(lines)
    assert all(parse_qs(urlsplit(url).query) == {"vc": ["1"], "ac": ["1"]} for _, url in segments)
    video, audio = [], []
    for index, (_, url) in enumerate(segments):
        ts = tmp_path / f"{index}.ts"
        ts.write_bytes(await fetch(client, url))
        codecs = packets(ts, index)
        video += codecs["video"]
        audio += codecs["audio"]
    assert len(video) == 8 * FPS
    assert holes(video) == [] and overlaps(video) == []
    # The AAC encoder starts each segment with one frame of priming: at most that overlaps.
    assert holes(audio) == []
    assert all(b.pts > a.pts + a.duration - 0.03 for a, b in overlaps(audio))


async def test_segment_parameters_and_bounds(client: Client) -> None:
    await fetch(client, "/api/player/segments/99/safe.mp4.ts", 404)
    await fetch(client, "/api/player/segments/0/safe.mp4.ts?sd=abc", 400)
    await fetch(client, "/api/player/segments/0/safe.mp4.ts?vc=2", 400)
    await fetch(client, "/api/player/segments/0/safe.mp4.ts?sd=0", 400)
    await fetch(client, "/api/player/segments/0/missing.mp4.ts", 404)
    await fetch(client, "/api/player/segments/x/safe.mp4.ts", 404)  # not a route
    await fetch(client, f"/api/player/segments/{'9' * 5000}/safe.mp4.ts", 400)
    # The last segment with sd=10: segment 1 starts at 10 s and runs to the end.
    body = await fetch(client, "/api/player/segments/1/safe.mp4.ts?sd=10&vc=1")
    assert body[:1] == b"G"  # an MPEG-TS sync byte


async def test_subtitles_are_served_as_webvtt(client: Client) -> None:
    cases = {
        "safe.en.srt": "Hello from SubRip",
        "safe.fr.ass": "Hello from ASS",
        "safe.de.vtt": "Hello from WebVTT",
    }
    with loop_guard() as blocking:
        for name, cue in cases.items():
            response = await client.get(f"/api/player/subtitle/{name}.vtt")
            text = await response.text()
            assert response.status == 200, text
            assert response.headers["Content-Type"] == "text/vtt; charset=UTF-8"
            assert text.startswith("WEBVTT")
            assert cue in text
            assert re.search(r"(00:)?00:01\.000 --> (00:)?00:03\.000", text)
    assert blocking == []
    await fetch(client, "/api/player/subtitle/safe.mp4.vtt", 400)  # not a subtitle
    await fetch(client, "/api/player/subtitle/missing.srt.vtt", 404)


async def test_the_subtitle_playlist_is_one_segment_and_needs_a_duration(client: Client) -> None:
    lines = await playlist(client, "/api/player/m3u8/subtitle/safe.en.srt.m3u8?duration=20.5")
    assert segments_of(lines) == [(20.5, "/api/player/subtitle/safe.en.srt.vtt")]
    assert lines[-1] == "#EXT-X-ENDLIST"
    await fetch(client, "/api/player/m3u8/subtitle/safe.en.srt.m3u8", 400)
    await fetch(client, "/api/player/m3u8/subtitle/safe.en.srt.m3u8?duration=x", 400)
    await fetch(client, "/api/player/m3u8/audio/safe.mp4.m3u8", 400)


async def test_a_changed_file_is_probed_again(client: Client, settings: Settings) -> None:
    before = segments_of(await playlist(client, "/api/player/m3u8/video/safe.mp4.m3u8"))
    target = settings.download_path / "safe.mp4"
    shorter = settings.download_path / "vp9.webm"
    target.unlink()
    target.write_bytes(shorter.read_bytes())  # now an 8 s VP9 file under the same name
    after = segments_of(await playlist(client, "/api/player/m3u8/video/safe.mp4.m3u8"))
    assert len(after) < len(before)
    assert "vc=1" in after[0][1]


async def test_an_audio_file_plays_as_audio_segments(client: Client, tmp_path: Path) -> None:
    segments = segments_of(await playlist(client, "/api/player/m3u8/video/audio.m4a.m3u8"))
    assert len(segments) == 3
    audio = []
    for index, (_, url) in enumerate(segments):
        ts = tmp_path / f"{index}.ts"
        ts.write_bytes(await fetch(client, url))
        found = packets(ts, index)
        assert found["video"] == []
        audio += found["audio"]
    assert holes(audio) == [] and overlaps(audio) == []
    assert math.isclose(sum(p.duration for p in audio), 15, abs_tol=0.05)


async def test_an_unchanged_file_answers_304(client: Client) -> None:
    url = "/api/player/segments/0/safe.mp4.ts"
    first = await client.get(url)
    stamp = first.headers["Last-Modified"]
    assert first.status == 200 and first.headers["Cache-Control"] == "private, max-age=3600"
    again = await client.get(url, headers={"If-Modified-Since": stamp})
    assert again.status == 304 and await again.read() == b""
    vtt = await client.get("/api/player/subtitle/safe.en.srt.vtt")
    later = {"If-Modified-Since": vtt.headers["Last-Modified"]}
    assert (await client.get("/api/player/subtitle/safe.en.srt.vtt", headers=later)).status == 304
