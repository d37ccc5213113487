"""OfflineTube's downloads over the ``Downloads`` facade: add, list, cancel, remove, files.

A download is a queue item like any other (it shows in the native queue and history); its
``quality`` and ``download_type`` are the item's yt-dlp options (``quality``), its name
``{title}__{video id}.{ext}`` (a quality other than ``best`` adds ``-{quality}`` so two
qualities of one video never share a file).
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.compat.offlinetube.quality import BEST, choose
from app.compat.offlinetube.views import download_of
from app.core.errors import InvalidInput, NotFound
from app.core.pagination import Page
from app.core.paths import resolve_under
from app.downloads.models import FINAL, AddRequest, Item, Status
from app.downloads.service import Downloads

TEMPLATE = "%(title)s__%(id)s{suffix}.%(ext)s"
MISSING = "Download not found"
THUMBNAIL_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


class DownloadRequest(BaseModel):
    """``POST /api/download``."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=8192)
    quality: str = Field(default=BEST, max_length=32)
    download_type: str = Field(default="video", max_length=16)


@dataclass(frozen=True, slots=True)
class Library:
    """OfflineTube's downloads over the facade, in the preset and under the download root."""

    downloads: Downloads
    preset: str
    root: Path
    remove_files: bool

    async def add(self, request: DownloadRequest) -> dict[str, Any]:
        choice = choose(request.download_type, request.quality)
        suffix = "" if choice.quality == BEST else f"-{choice.quality}"
        add = AddRequest(
            url=request.url,
            preset=self.preset,
            template=TEMPLATE.format(suffix=suffix),
            cli=choice.cli,
            force=True,  # every request is a task of its own, as in the original
        )
        [result] = await self.downloads.add([add])
        if result.item is None or result.status is False:
            raise InvalidInput(result.msg or "The download could not be queued.")
        return download_of(result.item)

    async def item(self, uid: str) -> Item:
        found = await self.downloads.find(uid)
        if found is None:
            raise NotFound(MISSING)
        return found

    async def listing(self, limit: int) -> list[dict[str, Any]]:
        """Queued downloads, then the ``limit`` most recent ended ones."""
        text = await self.downloads.history_page_json(Page(1, limit), "DESC", None)
        ended = [Item.model_validate(entry) for entry in json.loads(text)["items"]]
        items = [*reversed(self.downloads.queued()), *ended]
        finished = {i.uid: i.filename for i in items if i.status == Status.FINISHED and i.filename}
        times = await asyncio.to_thread(self._mtimes, finished)
        return [download_of(item, times.get(item.uid)) for item in items]

    async def one(self, item: Item) -> dict[str, Any]:
        done = item.status == Status.FINISHED and item.filename
        times = await asyncio.to_thread(self._mtimes, {item.uid: item.filename} if done else {})
        return download_of(item, times.get(item.uid))

    def _mtimes(self, files: Mapping[str, str | None]) -> dict[str, float]:
        times = {}
        for uid, name in files.items():
            try:
                times[uid] = resolve_under(self.root, name or "", "filename").stat().st_mtime
            except (InvalidInput, OSError):
                continue
        return times

    async def cancel(self, uid: str) -> dict[str, Any]:
        item = await self.item(uid)
        if item.status in FINAL:
            raise InvalidInput(f"Download already ended ({download_of(item)['status']}).")
        await self.downloads.cancel([uid])
        return {"message": "Download cancelled", "id": uid}

    async def remove(self, uid: str) -> dict[str, Any]:
        item = await self.item(uid)
        await self.downloads.delete([uid], remove_file=True)
        had_file = item.status == Status.FINISHED and bool(item.filename)
        removed = had_file and self.remove_files and await self._gone(item.filename or "")
        return {"message": "Download removed", "id": uid, "file_deleted": removed}

    async def _gone(self, name: str) -> bool:
        try:
            path = resolve_under(self.root, name, "filename")
        except InvalidInput:
            return False
        return not await asyncio.to_thread(path.exists)

    async def file(self, uid: str) -> Path:
        """A completed download's file, resolved under the download root."""
        item = await self.item(uid)
        if item.status != Status.FINISHED or not item.filename:
            raise InvalidInput(f"Download is not completed ({download_of(item)['status']}).")
        return await self.existing(item.filename)

    async def existing(self, name: str) -> Path:
        """A file named by a client: under the root (symlinks resolved), and a file."""
        path = resolve_under(self.root, name, "filename")
        if not await asyncio.to_thread(path.is_file):
            raise NotFound("File not found")
        return path

    async def local_thumbnail(self, item: Item) -> Path | None:
        """An image yt-dlp wrote beside the file (``--write-thumbnail``), if any."""
        if not item.filename:
            return None
        try:
            path = resolve_under(self.root, item.filename, "filename")
        except InvalidInput:
            return None
        return await asyncio.to_thread(_beside, path, self.root)


def _beside(path: Path, root: Path) -> Path | None:
    root = root.resolve()
    for suffix in THUMBNAIL_SUFFIXES:
        candidate = path.with_suffix(suffix)
        resolved = candidate.resolve()
        if root in resolved.parents and resolved.is_file() and os.access(resolved, os.R_OK):
            return resolved
    return None
