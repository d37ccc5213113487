"""A media file's sidecars: files beside it that share its name (subtitles with their
language, thumbnails, ``.info.json``, ``.nfo``...) and the folder's own artwork."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from app.files.kinds import FOLDER_IMAGES, IMAGE, PLAYABLE_SUBTITLES, content_type, extension
from app.files.listing import Entry

KINDS = ("subtitles", "video", "audio", "image", "text", "metadata")
_LANGUAGE = re.compile(r"[A-Za-z0-9_-]{1,32}")


def sidecar_names(media: str, names: Iterable[str]) -> list[str]:
    """Names in the same folder that begin with ``media``'s name without its extension."""
    stem = PurePosixPath(media).stem
    return sorted(n for n in names if n != media and n.startswith(stem + "."))


def find(media: str, folder: str, entries: Iterable[Entry]) -> dict[str, Any]:
    """The ``sidecar`` object of ``/api/file/info``: every kind present (lists may be
    empty), subtitles under both ``subtitles`` (the seed) and ``subtitle`` (YTPTube's UI).
    ``folder`` is the media's folder from the root; paths answered are from the root."""
    stem = PurePosixPath(media).stem
    files = {e.name: e for e in entries if not e.is_dir and e.size > 0}
    found: dict[str, list[dict[str, Any]]] = {kind: [] for kind in KINDS}
    for name in sidecar_names(media, files):
        kind = content_type(name, False)
        path = f"{folder}/{name}" if folder else name
        if kind == "subtitle":
            ext = extension(name)
            if ext not in PLAYABLE_SUBTITLES:
                continue
            lang = _language(name[len(stem) + 1 : -(len(ext) + 1)])
            index = len(found["subtitles"])
            found["subtitles"].append(
                {"file": path, "lang": lang, "name": f"{ext.upper()} ({index}) - {lang}"}
            )
        elif kind in found:
            found[kind].append({"file": path})
    for name in sorted(files):
        base, _, ext = name.rpartition(".")
        if base in FOLDER_IMAGES and ext.lower() in IMAGE:
            found["image"].append({"file": f"{folder}/{name}" if folder else name})
    return {**found, "subtitle": found["subtitles"]}


def _language(middle: str) -> str:
    return middle if _LANGUAGE.fullmatch(middle) else "und"
