"""What the library reads beside a media file: its ``.info.json`` and subtitles.

Blocking file reads: called in a thread, never on the event loop. Every path is checked
under the download root first (``core/paths.py``); a file that is missing, too big or not
what it claims to be is simply not used.
"""

from __future__ import annotations

import json
import logging
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
