"""Download archives: the files yt-dlp reads to skip videos, one per preset that names one.

Each line is yt-dlp's archive id, "<extractor lowercased> <video id>". Files are read and
written off the event loop; a removal rewrites the file through a temporary one and a
rename, so a download child reading the archive never sees it half written.
"""

from __future__ import annotations

import asyncio
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.paths import resolve_under
from app.downloads.models import Item
from app.downloads.service import Downloads
from app.presets.service import PresetService

_ARCHIVE_ID = re.compile(r"\S+ \S+")


def check_ids(items: object) -> list[str]:
    """A non-empty list of archive ids, each exactly two space-separated tokens."""
    if not isinstance(items, list) or not items:
        raise InvalidInput("items is required and must be a non-empty array.")
    for entry in items:
        if not isinstance(entry, str) or not _ARCHIVE_ID.fullmatch(entry):
            raise InvalidInput(
                f"Invalid archive id {entry!r}: expected '<extractor> <id>', e.g. 'youtube ABC123'."
            )
    return list(dict.fromkeys(items))


@dataclass(frozen=True, slots=True)
class Change:
    file: Path
    items: list[str]  # the ids that were added or removed


class ArchiveService:
    def __init__(self, presets: PresetService, root: Path) -> None:
        self._presets = presets
        self._root = root
        # One writer at a time: appends and rewrites are read-modify-write cycles.
        self._lock = asyncio.Lock()

    def file_for(self, preset: object) -> Path:
        if not preset or not isinstance(preset, str):
            raise InvalidInput("preset is required.")
        found = self._presets.by_name(preset)
        if found is None:
            raise InvalidInput(f"Preset '{preset}' not found.")
        if not found.download_archive:
            raise InvalidInput(f"Preset '{found.name}' does not provide a download_archive.")
        return resolve_under(self._root, found.download_archive, "download_archive")

    def presets_using(self, file: Path) -> list[str]:
        """The presets whose download archive is ``file``."""
        names = []
        for preset in self._presets.all():
            if preset.download_archive:
                try:
                    mine = resolve_under(self._root, preset.download_archive, "download_archive")
                except InvalidInput:
                    continue  # a preset naming a path outside the archives shares nothing
                if mine == file:
                    names.append(preset.name)
        return names

    async def read(self, file: Path, ids: list[str] | None = None) -> list[str]:
        lines = await asyncio.to_thread(_read_ids, file)
        if ids is None:
            return lines
        wanted = set(ids)
        return [line for line in lines if line in wanted]

    async def add(self, file: Path, items: list[str], *, skip_check: bool = False) -> Change:
        """Appends the ids not yet in the file (all of them with ``skip_check``)."""
        async with self._lock:
            present = set() if skip_check else set(await asyncio.to_thread(_read_ids, file))
            new = [item for item in items if item not in present]
            if new:
                await asyncio.to_thread(_append, file, new)
        return Change(file, new)

    async def remove(self, file: Path, items: list[str]) -> Change:
        async with self._lock:
            lines = await asyncio.to_thread(_read_ids, file)
            unwanted, present = set(items), set(lines)
            removed = [item for item in items if item in present]
            if removed:
                kept = [line for line in lines if line not in unwanted]
                await asyncio.to_thread(_rewrite, file, kept)
        return Change(file, removed)


def _read_ids(file: Path) -> list[str]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    # yt-dlp strips each line when it loads an archive; blank lines mean nothing to it.
    return [line.strip() for line in text.splitlines() if line.strip()]


def _append(file: Path, items: list[str]) -> None:
    file.parent.mkdir(parents=True, exist_ok=True)
    with file.open("a+b") as handle:
        handle.seek(0, os.SEEK_END)
        prefix = b""
        if handle.tell():
            handle.seek(-1, os.SEEK_END)
            # A file written by hand may lack its final newline; don't glue ids together.
            prefix = b"" if handle.read(1) == b"\n" else b"\n"
        handle.write(prefix + "".join(f"{item}\n" for item in items).encode())


def _rewrite(file: Path, lines: list[str]) -> None:
    descriptor, temp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write("".join(f"{line}\n" for line in lines))
        Path(temp).replace(file)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


class ItemArchiver:
    """Archives (or un-archives) one queue or history item in its preset's archive file."""

    def __init__(
        self,
        archives: ArchiveService,
        presets: PresetService,
        downloads: Downloads,
    ) -> None:
        self._archives = archives
        self._presets = presets
        self._downloads = downloads

    async def archive(self, uid: str) -> str:
        item, archive_id = await self._archivable(uid)
        file = self._file(item, missing=NotFound)
        if await self._archives.read(file, [archive_id]):
            raise Conflict(f"item '{archive_id}' is already archived.")
        await self._flag(item, archived=True)
        await self._archives.add(file, [archive_id])
        return f"item '{archive_id}' archived in file '{file}'."

    async def unarchive(self, uid: str) -> str:
        item, archive_id = await self._archivable(uid)
        file = self._file(item, missing=InvalidInput)
        if not await self._archives.read(file, [archive_id]):
            raise NotFound(f"item '{archive_id}' is not in archive '{file}'.")
        await self._flag(item, archived=False)
        await self._archives.remove(file, [archive_id])
        return f"item '{item.label}' removed from '{file}' archive."

    async def _archivable(self, uid: str) -> tuple[Item, str]:
        item = await self._downloads.get(uid)
        if not item.archive_id:
            raise InvalidInput(f"Item '{item.label}' has no archive id.")
        return item, item.archive_id

    def _file(self, item: Item, missing: type[NotFound] | type[InvalidInput]) -> Path:
        preset = self._presets.by_name(item.preset)
        if preset is None or not preset.download_archive:
            raise missing(f"Preset '{item.preset}' does not provide a download_archive.")
        return self._archives.file_for(preset.name)

    async def _flag(self, item: Item, *, archived: bool) -> None:
        # A downloading item is refused (409): checked before the archive file is written.
        await self._downloads.update(item.uid, {"is_archived": archived})
