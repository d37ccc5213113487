"""Subtitle sidecars: found beside a video, served as WebVTT.

A sidecar is a file in the video's folder named ``<video stem>.<anything>.srt|vtt|ass``
(yt-dlp writes ``name.en.vtt``); the part between the stem and the suffix is its
language. WebVTT files are served as they are; SubRip and ASS are converted by ffmpeg.
"""

from __future__ import annotations

import os
from pathlib import Path

from app.player.playlists import SubtitleTrack

SUFFIXES = (".srt", ".vtt", ".ass")
MAX_SIDECARS = 100


def sidecars(video: Path, root: Path) -> list[SubtitleTrack]:
    """Blocking (lists a folder, resolves the root): call off the loop."""
    root = root.resolve()
    stem = video.stem
    found = []
    with os.scandir(video.parent) as entries:
        for entry in entries:
            name = entry.name
            if not name.startswith(f"{stem}.") or not name.lower().endswith(SUFFIXES):
                continue
            if not entry.is_file():  # follows symlinks; the route checks the target's root
                continue
            lang = name[len(stem) + 1 : -4].strip(".") or "und"
            relative = (video.parent / name).relative_to(root).as_posix()
            found.append(SubtitleTrack(relative, lang, f"{lang.upper()} ({name[-3:].lower()})"))
    return sorted(found, key=lambda track: track.file)[:MAX_SIDECARS]


def webvtt_args(path: Path) -> list[str]:
    """ffmpeg converting a subtitle file to WebVTT on stdout."""
    return [
        *("-nostdin", "-hide_banner", "-loglevel", "error"),
        *("-i", f"file:{os.fspath(path)}", "-map", "0:s:0", "-f", "webvtt", "pipe:1"),
    ]
