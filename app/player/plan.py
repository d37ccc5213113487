"""The ffmpeg command for one segment: a pure function of the file, the segment and its cuts.

Each stream is read through an input of its own (the same file twice) so that each can
stop at its own time with ``-t``; both seek with ``-ss`` *before* ``-i`` to the segment's
start, so a segment at minute 45 reads only what it plays. ``-copyts`` keeps the source's
timestamps, so consecutive segments carry consecutive timestamps and a player joins them
without gaps.

- A copied video stream can only start at a keyframe: the seek lands on the keyframe at or
  before the segment's start, and the segment stops before the keyframe the next segment's
  seek lands on (by decode time: with B-frames, what precedes a keyframe in decode order
  is exactly what plays before it). Segments follow keyframes; none overlap.
- A copied audio stream stops before the first audio packet of the next segment.
- An encoded stream is cut exactly at the segment's bounds (ffmpeg decodes from the
  keyframe before and drops what comes before the start).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from app.player.probe import Cut, MediaInfo

SAFE_VIDEO = frozenset({"h264"})
SAFE_PIX_FMTS = frozenset({"yuv420p", "yuvj420p"})
SAFE_AUDIO = frozenset({"aac", "mp3"})
MIN_SPAN = 0.001  # a -t of zero or less would be refused; a copy then overlaps instead
# Added to every timestamp of every segment: a source starting at a negative time (B-frames,
# audio priming) would otherwise have its first segment alone moved up to zero.
TS_OFFSET = 10.0

VIDEO_ENCODE = (
    *("-c:v", "libx264", "-preset", "veryfast", "-crf", "23"),
    *("-pix_fmt", "yuv420p", "-profile:v", "high", "-level:v", "4.1"),
)
AUDIO_ENCODE = ("-c:a", "aac", "-b:a", "160k", "-ac", "2")


def video_is_safe(info: MediaInfo) -> bool:
    video = info.video
    return video is None or (video.codec in SAFE_VIDEO and video.pix_fmt in SAFE_PIX_FMTS)


def audio_is_safe(info: MediaInfo) -> bool:
    return info.audio is None or info.audio.codec in SAFE_AUDIO


@dataclass(frozen=True, slots=True)
class Segment:
    index: int
    start: float  # seconds from the container's start
    length: float  # nominal; the last segment runs to the end of the file
    last: bool
    encode_video: bool
    encode_audio: bool

    @property
    def needs_cut(self) -> bool:
        """Whether the next segment's seek point must be probed to end a copied stream."""
        return not self.last and not (self.encode_video and self.encode_audio)


def _span(stop: float | None, start: float, fallback: float) -> float:
    if stop is None:
        return fallback
    return max(MIN_SPAN, stop - start)


def ffmpeg_args(path: Path, info: MediaInfo, segment: Segment, cut: Cut | None) -> list[str]:
    """Arguments for ``ffmpeg`` writing the segment as MPEG-TS to stdout."""
    source = f"file:{os.fspath(path)}"
    absolute_start = info.start + segment.start
    inputs: list[str] = []
    outputs: list[str] = []
    streams = (
        (info.video, segment.encode_video, cut.video_dts if cut else None, "v", VIDEO_ENCODE),
        (info.audio, segment.encode_audio, cut.audio_pts if cut else None, "a", AUDIO_ENCODE),
    )
    present = [entry for entry in streams if entry[0] is not None]
    for number, (stream, encode, stop, kind, encoder) in enumerate(present):
        assert stream is not None
        inputs += ["-ss", f"{segment.start:.6f}"]
        if not segment.last:
            span = segment.length if encode else _span(stop, absolute_start, segment.length)
            inputs += ["-t", f"{span:.6f}"]
        inputs += ["-i", source]
        outputs += ["-map", f"{number}:{stream.index}"]
        outputs += list(encoder) if encode else [f"-c:{kind}", "copy"]
    return [
        *("-nostdin", "-hide_banner", "-loglevel", "error", "-copyts"),
        *inputs,
        *outputs,
        *("-sn", "-dn", "-map_metadata", "-1", "-map_chapters", "-1"),
        *("-output_ts_offset", f"{TS_OFFSET:g}", "-muxdelay", "0", "-muxpreload", "0"),
        *("-f", "mpegts", "pipe:1"),
    ]
