"""HLS playlist text: pure functions of a duration, a segment length and URLs.

A video is cut into segments of ``sd`` seconds: segment ``i`` starts at ``i * sd`` and the
last one runs to the end of the file. ``sd`` is 6 s unless the file's keyframes lie further
apart than that (stream copy can only cut at keyframes, so a segment must be at least one
keyframe interval long); segment URLs then carry it as ``?sd=``, every one of them, since
the segment endpoint needs it to find where segment ``i`` starts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote, urlencode

SEGMENT_SECONDS = 6.0
MAX_SEGMENT_SECONDS = 60.0
MIN_TAIL = 0.05  # a remainder shorter than this joins the segment before it


@dataclass(frozen=True, slots=True)
class SubtitleTrack:
    file: str  # relative to the download root
    lang: str
    name: str


def segment_length(max_gop: float) -> float:
    """6 s, or the keyframe interval rounded up when it is longer (capped at a minute)."""
    return min(MAX_SEGMENT_SECONDS, max(SEGMENT_SECONDS, float(math.ceil(max_gop))))


def segment_count(duration: float, sd: float) -> int:
    return max(1, math.ceil((duration - MIN_TAIL) / sd))


def segment_duration(duration: float, sd: float, index: int) -> float:
    """How long segment ``index`` plays: ``sd``, and the rest of the file for the last."""
    if index == segment_count(duration, sd) - 1:
        return max(0.0, duration - index * sd)
    return sd


def player_url(base_path: str, kind: str, file: str, query: Mapping[str, str] = {}) -> str:
    """``/api/player/<kind>/<file>`` under the base path, the file's path percent-quoted."""
    url = f"{base_path.rstrip('/')}/api/player/{kind}/{quote(file, safe='/')}"
    return f"{url}?{urlencode(query)}" if query else url


def _header(target: float) -> list[str]:
    return [
        "#EXTM3U",
        "#EXT-X-VERSION:3",
        f"#EXT-X-TARGETDURATION:{max(1, math.ceil(target))}",
        "#EXT-X-MEDIA-SEQUENCE:0",
        "#EXT-X-PLAYLIST-TYPE:VOD",
    ]


def video_playlist(
    base_path: str,
    file: str,
    duration: float,
    sd: float,
    params: Mapping[str, str],
) -> str:
    """The media playlist: one ``#EXTINF`` and segment URL per ``sd`` seconds."""
    query = dict(params)
    if sd != SEGMENT_SECONDS:
        query["sd"] = f"{sd:.6f}"
    lines = _header(sd)
    for index in range(segment_count(duration, sd)):
        lines.append(f"#EXTINF:{segment_duration(duration, sd, index):.6f},")
        lines.append(player_url(base_path, f"segments/{index}", f"{file}.ts", query))
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def subtitle_playlist(base_path: str, file: str, duration: float, params: Mapping[str, str]) -> str:
    """A subtitle track as one segment that lasts the whole video."""
    lines = _header(duration)
    lines.append(f"#EXTINF:{duration:.6f},")
    lines.append(player_url(base_path, "subtitle", f"{file}.vtt", params))
    lines.append("#EXT-X-ENDLIST")
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    # Attribute values are quoted strings: no double quotes or line breaks inside.
    return "".join(" " if c in '"\r\n' else c for c in text)


def master_playlist(
    base_path: str,
    file: str,
    duration: float,
    bandwidth: int,
    subtitles: Sequence[SubtitleTrack],
    params: Mapping[str, str],
) -> str:
    """The multivariant playlist: the one video stream and its subtitle tracks."""
    lines = ["#EXTM3U"]
    for track in subtitles:
        url = player_url(
            base_path, "m3u8/subtitle", f"{track.file}.m3u8", {**params, "duration": f"{duration}"}
        )
        lines.append(
            '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",'
            f'NAME="{_quoted(track.name)}",DEFAULT=NO,AUTOSELECT=NO,FORCED=NO,'
            f'LANGUAGE="{_quoted(track.lang)}",URI="{_quoted(url)}"'
        )
    subs = ',SUBTITLES="subs"' if subtitles else ""
    lines.append(f"#EXT-X-STREAM-INF:PROGRAM-ID=1,BANDWIDTH={max(1, bandwidth)}{subs}")
    lines.append(player_url(base_path, "m3u8/video", f"{file}.m3u8", params))
    return "\n".join(lines) + "\n"
