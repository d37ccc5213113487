"""Benchmark: the player's HLS segments of a one-hour 1080p file, made on demand.

- time to the first segment (the media playlist, then segment 0) on a server that has
  never seen the file, and the first segment of a seek to minute 45;
- the baseline: ffmpeg remuxing the whole file to MPEG-TS, which is what a segmenter
  that does not seek would pay before minute 45 (and, once, before any segment);
- CPU seconds (the server and its ffmpeg/ffprobe children) per minute of playback of a
  browser-safe file (stream copy), and of one that must be encoded (``--encode``).

The hour is made once (a minute of ``testsrc2`` at 1 Mbit/s, looped sixty times with
stream copy) under ``var/tmp/bench-player/`` and reused by later runs.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from pathlib import Path

import requests

from bench.common import ROOT, ServerProcess, workdir

CACHE = ROOT / "var" / "tmp" / "bench-player"
HOUR = CACHE / "hour-1080p.mp4"
SEEK_SECONDS = 45 * 60
PLAYBACK_SEGMENTS = 10  # a minute at 6 s


def make_hour() -> Path:
    if HOUR.exists():
        return HOUR
    CACHE.mkdir(parents=True, exist_ok=True)
    minute = CACHE / "minute.mp4"
    ffmpeg = ["ffmpeg", "-nostdin", "-v", "error", "-y"]
    subprocess.run(
        [
            *ffmpeg,
            *("-f", "lavfi", "-i", "testsrc2=size=1920x1080:rate=25:duration=60"),
            *("-f", "lavfi", "-i", "sine=frequency=440:duration=60"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-b:v", "1M", "-pix_fmt", "yuv420p"),
            *("-g", "50", "-c:a", "aac", "-b:a", "96k", str(minute)),
        ],
        check=True,
    )
    temp = HOUR.with_name(".tmp-" + HOUR.name)
    subprocess.run(
        [*ffmpeg, "-stream_loop", "59", "-i", str(minute), "-c", "copy", str(temp)], check=True
    )
    temp.rename(HOUR)
    minute.unlink()
    return HOUR


def cpu_with_children(pid: int) -> float:
    """User + system CPU of a process and of its children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(v) for v in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def get(url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = requests.get(url, timeout=600)
    response.raise_for_status()
    return time.perf_counter() - started, response.content


def segment_urls(base: str, name: str) -> list[str]:
    _, text = get(f"{base}/api/player/m3u8/video/{name}.m3u8")
    return [base + line for line in text.decode().splitlines() if line.startswith("/api/")]


def first_segment(base: str, name: str) -> tuple[float, float]:
    """(playlist seconds, segment 0 seconds) on a file the server has not seen."""
    playlist, _ = get(f"{base}/api/player/m3u8/video/{name}.m3u8")
    urls = segment_urls(base, name)
    segment, _ = get(urls[0])
    return playlist, segment


def seek(base: str, name: str) -> float:
    urls = segment_urls(base, name)
    index = SEEK_SECONDS // 6
    seconds, _ = get(urls[index])
    return seconds


def playback_cpu(server: ServerProcess, base: str, name: str, start: int, query: str) -> float:
    """CPU seconds to make ``PLAYBACK_SEGMENTS`` consecutive segments (a minute)."""
    assert server.process is not None
    urls = segment_urls(base, name)[start : start + PLAYBACK_SEGMENTS]
    before = cpu_with_children(server.process.pid)
    for url in urls:
        get(url + query)
    return cpu_with_children(server.process.pid) - before


def remux_whole(path: Path) -> tuple[float, float]:
    """(seconds, CPU seconds) of ffmpeg remuxing the whole file to MPEG-TS."""
    before = os.times()
    started = time.perf_counter()
    subprocess.run(
        [
            *("ffmpeg", "-nostdin", "-v", "error", "-i", str(path)),
            *("-c", "copy", "-f", "mpegts", "-y", os.devnull),
        ],
        check=True,
    )
    seconds = time.perf_counter() - started
    after = os.times()
    cpu = after.children_user + after.children_system
    return seconds, cpu - (before.children_user + before.children_system)


class Meter:
    """CPU seconds of the server and the children it has waited for, step by step."""

    def __init__(self, pid: int) -> None:
        self._pid = pid
        self._last = cpu_with_children(pid)

    def step(self) -> float:
        now = cpu_with_children(self._pid)
        spent, self._last = now - self._last, now
        return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--encode", action="store_true", help="also a minute encoded (slow)")
    args = parser.parse_args()
    hour = make_hour()
    with workdir() as work:
        downloads = work / "s" / "downloads"
        downloads.mkdir(parents=True)
        for name in ("a.mp4", "b.mp4"):  # two names: each is cold once
            (downloads / name).hardlink_to(hour)
        with ServerProcess(work / "s") as server:
            assert server.process is not None
            base, meter = server.base_url, Meter(server.process.pid)
            playlist, segment = first_segment(base, "a.mp4")
            print(
                f"cold: media playlist {playlist:.3f} s, then segment 0 {segment:.3f} s "
                f"(first segment {playlist + segment:.3f} s from nothing, "
                f"{meter.step():.2f} CPU s)"
            )
            seconds = seek(base, "a.mp4")
            print(
                f"seek to minute 45: segment {SEEK_SECONDS // 6} in {seconds:.3f} s "
                f"({meter.step():.2f} CPU s)"
            )
            cold = get(f"{base}/api/player/m3u8/video/b.mp4.m3u8")[0] + seek(base, "b.mp4")
            print(
                f"cold seek (playlist + minute-45 segment of an unseen file): {cold:.3f} s "
                f"({meter.step():.2f} CPU s)"
            )
            copy = playback_cpu(server, base, "a.mp4", 100, "")
            print(f"stream copy: {copy:.3f} CPU s per minute of playback")
            if args.encode:
                encode = playback_cpu(server, base, "a.mp4", 200, "?vc=1&ac=1")
                print(f"encoded (libx264 veryfast, 1080p): {encode:.1f} CPU s per minute")
        seconds, cpu = remux_whole(hour)
        print(
            f"baseline: ffmpeg remuxing the whole hour to MPEG-TS: {seconds:.3f} s "
            f"({cpu:.2f} CPU s)"
        )


if __name__ == "__main__":
    main()
