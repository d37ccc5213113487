"""Media for the player's tests, made by ffmpeg once per session, and ffprobe readings.

``safe.mp4`` is what a browser plays as it is (H.264 with B-frames + AAC) with keyframes
every 2.4 s, so segment bounds (every 6 s) never fall on one; ``vp9.webm`` (VP9 + Opus)
must be encoded; ``long.mp4`` is long and large enough that encoding it takes a while.
"""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

FFMPEG = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
FFPROBE = shutil.which("ffprobe") or "/usr/bin/ffprobe"
SAFE_SECONDS = 20
FPS = 25

SRT = (
    "1\n00:00:01,000 --> 00:00:03,000\nHello from SubRip\n\n"
    "2\n00:00:04,000 --> 00:00:05,500\nSecond cue\n"
)
VTT = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\nHello from WebVTT\n"
ASS = """[Script Info]
ScriptType: v4.00+

[V4+ Styles]
Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, \
Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, \
Shadow, Alignment, MarginL, MarginR, MarginV, Encoding
Style: Default,Arial,20,&H00FFFFFF,&H000000FF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,1,0,\
2,10,10,10,1

[Events]
Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text
Dialogue: 0,0:00:01.00,0:00:03.00,Default,,0,0,0,,Hello from ASS
"""


def _av(size: str, rate: int, seconds: int) -> list[str]:
    return [
        *("-f", "lavfi", "-i", f"testsrc2=size={size}:rate={rate}:duration={seconds}"),
        *("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"),
    ]


def ffmpeg(*args: str) -> None:
    command = [FFMPEG, "-nostdin", "-v", "error", "-y", *args]
    subprocess.run(command, check=True, capture_output=True)


def make_library(root: Path, only: Collection[str] = ()) -> Path:
    """Writes the media (``only`` those, if named) and subtitles under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    jobs = {
        "safe.mp4": [
            *_av("320x240", FPS, SAFE_SECONDS),
            *("-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p"),
            *("-g", "60", "-keyint_min", "60", "-sc_threshold", "0"),
            *("-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"),
        ],
        "vp9.webm": [
            *_av("320x240", FPS, 8),
            *("-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "200k"),
            *("-c:a", "libopus", "-b:a", "48k"),
        ],
        "audio.m4a": [
            *("-f", "lavfi", "-i", "sine=frequency=660:duration=15"),
            *("-c:a", "aac", "-b:a", "64k"),
        ],
        "long.mp4": [
            *_av("1920x1080", 10, 60),
            *("-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-g", "50"),
            *("-c:a", "aac", "-b:a", "64k"),
        ],
    }
    for name, args in jobs.items():
        target = root / name
        if not target.exists() and (not only or name in only):
            temp = root / f".tmp-{name}"
            ffmpeg(*args, str(temp))
            temp.rename(target)
    (root / "safe.en.srt").write_text(SRT)
    (root / "safe.fr.ass").write_text(ASS)
    (root / "safe.de.vtt").write_text(VTT)
    return root


@dataclass(frozen=True)
class Packet:
    segment: int
    pts: float
    duration: float


def packets(ts: Path, segment: int) -> dict[str, list[Packet]]:
    """Every packet of a TS file by stream type (``video``, ``audio``)."""
    entries = "stream=index,codec_type:packet=stream_index,pts_time,duration_time"
    result = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", entries, "-of", "json", str(ts)],
        check=True,
        capture_output=True,
    )
    data = json.loads(result.stdout)
    kinds = {s["index"]: s["codec_type"] for s in data["streams"]}
    found: dict[str, list[Packet]] = {"video": [], "audio": []}
    for packet in data.get("packets", []):
        kind = kinds[packet["stream_index"]]
        duration = float(packet.get("duration_time") or 0)
        found[kind].append(Packet(segment, float(packet["pts_time"]), duration))
    return found


def holes(stream: list[Packet], slack: float = 0.002) -> list[tuple[Packet, Packet]]:
    """Consecutive packets (by time) with time between the end of one and the next."""
    ordered = sorted(stream, key=lambda p: p.pts)
    return [(a, b) for a, b in itertools.pairwise(ordered) if b.pts > a.pts + a.duration + slack]


def overlaps(stream: list[Packet], slack: float = 0.002) -> list[tuple[Packet, Packet]]:
    ordered = sorted(stream, key=lambda p: p.pts)
    return [(a, b) for a, b in itertools.pairwise(ordered) if b.pts < a.pts + a.duration - slack]


def media_duration(path: Path) -> float:
    result = subprocess.run(
        [FFPROBE, "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        check=True,
        capture_output=True,
        text=True,
    )
    return float(result.stdout.strip())
