"""The playlist math, a pure function of a duration and a segment length."""

from __future__ import annotations

from app.player.playlists import (
    SubtitleTrack,
    master_playlist,
    segment_count,
    segment_duration,
    segment_length,
    video_playlist,
)


def test_segments_are_six_seconds_unless_keyframes_are_further_apart() -> None:
    assert segment_length(0) == segment_length(2.4) == segment_length(6.0) == 6.0
    assert segment_length(6.2) == 7.0
    assert segment_length(250) == 60.0


def test_the_last_segment_takes_the_rest_and_a_sliver_joins_it() -> None:
    assert segment_count(20.02, 6) == 4 and segment_duration(20.02, 6, 3) == 20.02 - 18
    assert segment_count(18.01, 6) == 3 and segment_duration(18.01, 6, 2) == 18.01 - 12
    assert segment_count(0.5, 6) == 1 and segment_duration(0.5, 6, 0) == 0.5


def test_urls_are_quoted_under_the_base_path_and_carry_the_parameters() -> None:
    text = video_playlist("/tube", "a b/c#1.mkv", 13.0, 7.0, {"vc": "1", "apikey": "k="})
    assert text.splitlines()[2] == "#EXT-X-TARGETDURATION:7"
    urls = [line for line in text.splitlines() if line.startswith("/")]
    assert urls == [
        "/tube/api/player/segments/0/a%20b/c%231.mkv.ts?vc=1&apikey=k%3D&sd=7.000000",
        "/tube/api/player/segments/1/a%20b/c%231.mkv.ts?vc=1&apikey=k%3D&sd=7.000000",
    ]


def test_subtitle_names_cannot_break_out_of_their_attribute() -> None:
    track = SubtitleTrack('x/v.en".srt', 'en"', 'EN" ,URI="evil"')
    text = master_playlist("/", "x/v.mp4", 10.0, 0, [track], {})
    media = text.splitlines()[1]
    assert media.count('"') == 8  # NAME, LANGUAGE, URI, GROUP-ID: quoted, nothing more
    assert "/api/player/m3u8/subtitle/x/v.en%22.srt.m3u8?duration=10.0" in media
