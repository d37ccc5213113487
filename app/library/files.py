"""What the library reads beside a media file: its ``.info.json`` and subtitles.

Blocking file reads: called in a thread, never on the event loop. Every path is checked
under the download root first (``core/paths.py``); a file that is missing, too big or not
what it claims to be is simply not used.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path, PurePosixPath
from typing import Any

from app.core.errors import InvalidInput
from app.core.paths import resolve_under
from app.library.models import Subtitle
from app.library.records import info_json_name, subtitle_entries, subtitle_text
from app.ytdlp.catalog import catalog

log = logging.getLogger(__name__)

MAX_INFO_JSON = 64 * 1024 * 1024  # a video with every comment can be this big
MAX_SUBTITLE = 4 * 1024 * 1024


def sidecar_catalog(root: Path, filename: str) -> dict[str, Any]:
    """The catalog of the ``.info.json`` beside ``filename`` (empty when there is none)."""
    name = info_json_name(filename)
    try:
        # Most files have none: a plain stat first, the full check (symlinks resolved,
        # each one a few syscalls) only for those that do.
        if not (root / PurePosixPath(name)).is_file():
            return {}
        path = resolve_under(root, name)
        if not path.is_file() or path.stat().st_size > MAX_INFO_JSON:
            return {}
        info = json.loads(path.read_bytes())
    except (InvalidInput, OSError, ValueError):
        return {}
    return catalog(info) if isinstance(info, dict) else {}


def read_subtitles(root: Path, picked: dict[str, Any], media: str) -> list[tuple[Subtitle, str]]:
    """Each subtitle the catalog names, with its text when its file is under the root.

    yt-dlp names the path where it wrote the file, in the worker's temporary folder; the
    file was then moved beside the media (``media``, relative to the root), same name.
    """
    found = []
    folder = PurePosixPath(media).parent
    for entry in subtitle_entries(picked):
        written = entry.get("filepath")
        name = PurePosixPath(written).name if isinstance(written, str) else ""
        relative, text = _read(root, str(folder / name) if name else None)
        subtitle = Subtitle(
            lang=str(entry["lang"]),
            ext=entry.get("ext"),
            name=entry.get("name"),
            automatic=bool(entry.get("automatic")),
            file=relative,
        )
        found.append((subtitle, text))
    return found


def _read(root: Path, relative: str | None) -> tuple[str | None, str]:
    if not relative:
        return None, ""
    try:
        path = resolve_under(root, relative)
        if not path.is_file():
            return None, ""
        if path.stat().st_size > MAX_SUBTITLE:
            return relative, ""
        return relative, subtitle_text(path.read_text(encoding="utf-8", errors="replace"))
    except (InvalidInput, OSError, ValueError):
        return None, ""


# How the task metadata step names a show's files (app/tasks/metadata.py, a layer above).
_UNSAFE = re.compile(r"[\\/\0:*?\"<>|]+")
ARTWORK = {"thumbnail": ("poster", "thumb", "icon"), "banner": ("banner", "fanart")}
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(". ")[:150] or "_"


class ShowDetails:
    """A channel's or playlist's details that the task metadata step wrote in a videos'
    folder (``tvshow.nfo``, ``<title> [<id>].info.json``, ``poster.jpg``...), read once
    per folder and id for a batch of videos."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._found: dict[tuple[str, str], dict[str, Any]] = {}

    def of(self, media: str, show_id: str) -> dict[str, Any]:
        folder = str(PurePosixPath(media).parent)
        key = (folder, show_id)
        if key not in self._found:
            self._found[key] = self._read(folder, show_id)
        return self._found[key]

    def _read(self, folder: str, show_id: str) -> dict[str, Any]:
        try:
            path = self._root if folder == "." else resolve_under(self._root, folder)
            if not (path / "tvshow.nfo").is_file():
                return {}
            suffix = f" [{_safe(show_id)}].info.json"
            names = [e.name for e in os.scandir(path) if e.name.endswith(suffix)]
            if not names or (path / names[0]).stat().st_size > MAX_INFO_JSON:
                return {}
            info = json.loads((path / names[0]).read_bytes())
        except (InvalidInput, OSError, ValueError):
            return {}
        if not isinstance(info, dict):
            return {}
        found: dict[str, Any] = {
            "description": info.get("description"),
            "url": info.get("channel_url") or info.get("webpage_url"),
        }
        for field, kinds in ARTWORK.items():
            found[field] = self._image(path, folder, kinds)
        return found

    def _image(self, path: Path, folder: str, kinds: tuple[str, ...]) -> str | None:
        for kind in kinds:
            for suffix in IMAGE_SUFFIXES:
                if (path / f"{kind}{suffix}").is_file():
                    return str(PurePosixPath(folder) / f"{kind}{suffix}")
        return None
