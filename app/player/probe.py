"""What the player needs to know about a media file, from ffprobe, cached per file version.

Two questions: the file as a whole (duration, the streams to play, their codecs, how far
apart its video keyframes are near the start) and, per segment boundary, where a seek to
that time lands (the first video and audio packets ffmpeg would copy from there). Both are
answered by an ffprobe child process, off the loop, and kept in small LRU caches keyed by
the file's path, modification time and size, so an edited file is probed again.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import os
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from app.core.errors import AppError, NotFound

FFPROBE = "ffprobe"
GOP_SAMPLE_SECONDS = 30  # how much of the start is read to measure the keyframe interval
CUT_PACKETS = 256  # packets read after a seek: enough to meet both a video and an audio one
CUT_BATCH = 10  # seek points probed by one ffprobe: the segments a viewer asks for next
CUT_MARGIN = 10.0  # seconds: seek points this close to the end are probed one at a time
PROBE_ENTRIES = 256  # files remembered
CUT_ENTRIES = 4096  # seek points remembered (a two-hour film at 6 s is 1,200)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class MediaError(AppError):
    """The file is there but cannot be played (YTPTube answers these 404 too)."""

    status = 404


@dataclass(frozen=True, slots=True)
class FileKey:
    """One version of one file: a change to either stamp is a different file."""

    path: Path
    mtime_ns: int
    size: int


def file_key(path: Path) -> FileKey:
    """Blocking (stat): call off the loop. A missing or non-regular file is ``NotFound``."""
    try:
        info = path.stat()
    except OSError:
        raise NotFound("File not found.") from None
    if not path.is_file():
        raise NotFound("File not found.")
    return FileKey(path, info.st_mtime_ns, info.st_size)


@dataclass(frozen=True, slots=True)
class Stream:
    index: int  # ffprobe's index in the file, used as ``-map 0:<index>``
    codec: str
    pix_fmt: str = ""


@dataclass(frozen=True, slots=True)
class MediaInfo:
    duration: float
    start: float  # the container's start time: ffmpeg's -ss counts from it
    bit_rate: int
    video: Stream | None
    audio: Stream | None
    max_gop: float  # the longest keyframe interval seen near the start (0: unknown)


@dataclass(frozen=True, slots=True)
class Cut:
    """Where a seek to a time lands: the first packets ffmpeg copies from there on."""

    video_dts: float | None  # decode time of the keyframe the seek lands on
    audio_pts: float | None  # presentation time of the first audio packet after the seek


class Lru(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self._size:
            self._items.popitem(last=False)


class Prober:
    def __init__(self) -> None:
        self._media: Lru[FileKey, MediaInfo] = Lru(PROBE_ENTRIES)
        self._cuts: Lru[tuple[FileKey, float], Cut] = Lru(CUT_ENTRIES)
        self.runs = 0  # ffprobe processes started (tests watch the caches with it)

    async def media(self, key: FileKey) -> MediaInfo:
        found = self._media.get(key)
        if found is None:
            media, gop = await asyncio.gather(self._run(_media_args(key.path)), self._gop(key))
            found = parse_media(media, gop)
            self._media.put(key, found)
        return found

    async def cut(self, key: FileKey, info: MediaInfo, at: float, step: float) -> Cut:
        """Where ffmpeg's ``-ss at`` lands (``at`` counts from the container's start).

        The next seek points (``at + step``, ...) are probed in the same ffprobe run: a
        viewer asks for the next segments next, and starting ffprobe costs more than
        reading a few hundred packets.
        """
        at = round(at, 6)  # the same point reached by different sums is one cache entry
        found = self._cuts.get((key, at))
        if found is not None:
            return found
        points = [at]
        if at + CUT_MARGIN < info.duration:
            ahead = (round(at + n * step, 6) for n in range(1, CUT_BATCH))
            points += [p for p in ahead if p + CUT_MARGIN < info.duration]
        data = await self._run(_cut_args(key.path, [info.start + p for p in points]))
        packets = data.get("packets") or []
        if len(packets) != CUT_PACKETS * len(points):
            # An interval that met the end of the file read fewer: the split is unknown.
            if len(points) > 1:
                data = await self._run(_cut_args(key.path, [info.start + at]))
            found = parse_cut(data.get("packets") or [], info)
            self._cuts.put((key, at), found)
            return found
        for number, point in enumerate(points):
            chunk = packets[number * CUT_PACKETS : (number + 1) * CUT_PACKETS]
            self._cuts.put((key, point), parse_cut(chunk, info))
        return parse_cut(packets[:CUT_PACKETS], info)

    async def _gop(self, key: FileKey) -> float:
        return longest_gap(await self._run(_gop_args(key.path)))

    async def _run(self, args: list[str]) -> dict[str, Any]:
        self.runs += 1
        process = await asyncio.create_subprocess_exec(
            FFPROBE,
            *args,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            out, _ = await process.communicate()
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        if process.returncode != 0:
            raise MediaError("ffprobe cannot read this file.")
        try:
            data = json.loads(out or b"{}")
        except ValueError:
            raise MediaError("ffprobe answered something that is not JSON.") from None
        return data if isinstance(data, dict) else {}


def _input(path: Path) -> str:
    # ``file:`` keeps a name such as ``http:x`` or ``concat:a|b`` a plain file.
    return f"file:{os.fspath(path)}"


def _media_args(path: Path) -> list[str]:
    entries = (
        "format=duration,start_time,bit_rate:"
        "stream=index,codec_type,codec_name,pix_fmt:stream_disposition=attached_pic"
    )
    return ["-v", "error", "-show_entries", entries, "-of", "json", _input(path)]


def _gop_args(path: Path) -> list[str]:
    return [
        *("-v", "error", "-select_streams", "v:0", "-read_intervals", f"%+{GOP_SAMPLE_SECONDS}"),
        *("-show_entries", "packet=pts_time,flags", "-of", "json", _input(path)),
    ]


def _cut_args(path: Path, points: list[float]) -> list[str]:
    intervals = ",".join(f"{at:.6f}%+#{CUT_PACKETS}" for at in points)
    return [
        *("-v", "error", "-read_intervals", intervals),
        *("-show_entries", "packet=stream_index,pts_time,dts_time,flags", "-of", "json"),
        _input(path),
    ]


def _float(value: Any, default: float = 0.0) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return default
    return number if math.isfinite(number) else default


def parse_media(data: dict[str, Any], max_gop: float) -> MediaInfo:
    fmt = data.get("format") or {}
    duration = _float(fmt.get("duration"))
    if duration <= 0:
        raise MediaError("The file has no duration: it cannot be played.")
    video = audio = None
    for stream in data.get("streams") or []:
        kind = stream.get("codec_type")
        cover = (stream.get("disposition") or {}).get("attached_pic") == 1
        found = Stream(
            int(stream["index"]), stream.get("codec_name", ""), stream.get("pix_fmt", "")
        )
        if kind == "video" and video is None and not cover:
            video = found
        elif kind == "audio" and audio is None:
            audio = found
    if video is None and audio is None:
        raise MediaError("The file has neither video nor audio.")
    return MediaInfo(
        duration=duration,
        start=_float(fmt.get("start_time")),
        bit_rate=int(_float(fmt.get("bit_rate"))),
        video=video,
        audio=audio,
        max_gop=max_gop,
    )


def longest_gap(data: dict[str, Any]) -> float:
    """The longest distance between the video keyframes in a packet list (0 if < 2)."""
    keys = sorted(
        _float(p.get("pts_time"), math.nan)
        for p in data.get("packets") or []
        if "K" in p.get("flags", "") and "pts_time" in p
    )
    keys = [k for k in keys if math.isfinite(k)]
    return max((b - a for a, b in itertools.pairwise(keys)), default=0.0)


def parse_cut(packets: list[dict[str, Any]], info: MediaInfo) -> Cut:
    """The first video keyframe (copying starts at one) and audio packet after a seek."""
    video_dts = audio_pts = None
    for packet in packets:
        index = packet.get("stream_index")
        keyframe = "K" in packet.get("flags", "")
        if info.video and index == info.video.index and video_dts is None and keyframe:
            stamp = packet.get("dts_time", packet.get("pts_time"))
            video_dts = _float(stamp, math.nan)
        elif info.audio and index == info.audio.index and audio_pts is None:
            audio_pts = _float(packet.get("pts_time"), math.nan)
    return Cut(_finite(video_dts), _finite(audio_pts))


def _finite(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None
