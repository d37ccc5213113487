"""A task's show metadata for media centres: ``tvshow.nfo``, the channel's ``.info.json``
and the artwork the source offers, written in the task's folder under the download root.

The listing comes from flat extraction (in a worker); images are fetched in a worker that
writes them itself (workers may write under the download root, the server checks the path
first); the NFO and JSON are written off the loop.
"""

from __future__ import annotations

import asyncio
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from app.core.errors import InvalidInput
from app.core.paths import resolve_under
from app.presets.service import PresetService
from app.tasks.models import TaskModel

Extract = Callable[[str, str], Awaitable[dict[str, Any]]]
SaveImage = Callable[[str, Path], Awaitable[None]]

# Kodi's artwork names, and the yt-dlp thumbnail ids that fit each, best first.
ARTWORK: dict[str, tuple[str, ...]] = {
    "poster": ("poster", "avatar_uncropped", "avatar"),
    "fanart": ("fanart", "banner_uncropped", "background"),
    "thumb": ("thumb",),
    "banner": ("banner", "banner_uncropped"),
    "icon": ("icon", "avatar"),
    "landscape": ("landscape",),
}
_UNSAFE = re.compile(r"[\\/\0:*?\"<>|]+")


class TaskMetadata:
    def __init__(
        self, extract: Extract, save_image: SaveImage, presets: PresetService, root: Path
    ) -> None:
        self._extract = extract
        self._save_image = save_image
        self._presets = presets
        self._root = root

    def folder_of(self, task: TaskModel) -> Path:
        preset = self._presets.by_name(task.preset)
        folder = task.folder or (preset.folder if preset else "")
        return resolve_under(self._root, folder, "folder") if folder else self._root.resolve()

    async def write(self, task: TaskModel) -> dict[str, Any]:
        folder = self.folder_of(task)
        info = dict(await self._extract(task.url, task.preset))
        info.pop("_cached", None)
        title = str(info.get("title") or info.get("id") or task.name)
        json_file = folder / f"{_safe(title)} [{_safe(str(info.get('id') or task.id))}].info.json"
        nfo_file = folder / "tvshow.nfo"
        await asyncio.to_thread(_write_texts, folder, json_file, info, nfo_file)
        thumbnails = {}
        for kind, url in pick_artwork(info).items():
            path = folder / f"{kind}{_extension(url)}"
            try:
                await self._save_image(url, path)
            except InvalidInput:
                continue  # a missing image is not the task's failure
            thumbnails[kind] = self._relative(path)
        return {
            "id": info.get("id"),
            "id_type": str(info.get("extractor_key") or info.get("extractor") or "").lower()
            or None,
            "title": info.get("title"),
            "description": info.get("description"),
            "uploader": info.get("uploader") or info.get("channel"),
            "tags": [str(t) for t in info.get("tags") or []],
            "year": _year(info),
            "json_file": self._relative(json_file),
            "nfo_file": self._relative(nfo_file),
            "thumbnails": thumbnails,
        }

    def _relative(self, path: Path) -> str:
        return str(path.relative_to(self._root.resolve()))


def pick_artwork(info: dict[str, Any]) -> dict[str, str]:
    """Kodi name -> image URL, from the info's thumbnails by id (the last one is "thumb"
    when none is named so: yt-dlp lists the best last)."""
    thumbs = [t for t in info.get("thumbnails") or [] if isinstance(t, dict) and t.get("url")]
    by_id = {str(t.get("id") or ""): str(t["url"]) for t in thumbs}
    chosen = {}
    for kind, ids in ARTWORK.items():
        url = next((by_id[i] for i in ids if i in by_id), None)
        if url:
            chosen[kind] = url
    if "thumb" not in chosen and thumbs:
        chosen["thumb"] = str(thumbs[-1]["url"])
    return chosen


def tvshow_nfo(info: dict[str, Any]) -> bytes:
    root = ET.Element("tvshow")
    for tag, value in (
        ("title", info.get("title")),
        ("plot", info.get("description")),
        ("studio", info.get("channel") or info.get("uploader")),
        ("year", _year(info)),
    ):
        if value:
            ET.SubElement(root, tag).text = str(value)
    if info.get("id"):
        key = str(info.get("extractor_key") or "source").lower()
        unique = ET.SubElement(root, "uniqueid", type=key, default="true")
        unique.text = str(info["id"])
    for tag in info.get("tags") or []:
        ET.SubElement(root, "tag").text = str(tag)
    ET.indent(root)
    text: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return text


def _write_texts(folder: Path, json_file: Path, info: dict[str, Any], nfo_file: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    json_file.write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
    nfo_file.write_bytes(tvshow_nfo(info))


def _safe(text: str) -> str:
    return _UNSAFE.sub("_", text).strip(". ")[:150] or "_"


def _extension(url: str) -> str:
    match = re.search(r"\.(jpe?g|png|webp|gif)(?:$|[?#])", url, re.IGNORECASE)
    return f".{match[1].lower()}" if match else ".jpg"


def _year(info: dict[str, Any]) -> int | None:
    for key in ("release_year", "upload_date", "modified_date"):
        value = str(info.get(key) or "")
        if len(value) >= 4 and value[:4].isdigit():
            return int(value[:4])
    return None
