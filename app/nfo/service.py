"""NFO files beside downloaded media, built from freshly extracted metadata."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.paths import relative_to_root, resolve_under
from app.downloads.service import Downloads
from app.ytdlp.info import InfoService
from app.ytdlp.nfo import Kind, build_nfo


class NfoService:
    def __init__(self, downloads: Downloads, info: InfoService, download_path: Path) -> None:
        self._downloads = downloads
        self._info = info
        self._download_path = download_path

    async def create(self, uid: str, kind: Kind, *, overwrite: bool) -> str:
        """Writes ``<media stem>.nfo``; answers its path relative to the download path."""
        item = await self._downloads.get(uid, where="done")  # only history has files
        if not item.filename:
            raise InvalidInput(f"Item '{item.label}' has no downloaded file.")
        media = resolve_under(self._download_path, item.filename, "filename")
        if not await asyncio.to_thread(media.is_file):
            raise NotFound(f"Media file '{item.filename}' not found.")
        target = media.with_suffix(".nfo")
        if not overwrite and await asyncio.to_thread(target.exists):
            raise Conflict("NFO file already exists.")
        # Fresh metadata: the cached info may predate an edited title or description.
        info = await self._info.info(item.url, item.preset, force=True)
        document = build_nfo(info, kind)
        await asyncio.to_thread(_write, target, document, overwrite)
        return relative_to_root(self._download_path, target)


def _write(target: Path, document: bytes, overwrite: bool) -> None:
    if not overwrite:
        # Exclusive create: an NFO written since the check above is not replaced.
        try:
            descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            raise Conflict("NFO file already exists.") from None
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(document)
        return
    descriptor, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(document)
        # mkstemp makes the file 0600; media servers running as another user must read it.
        Path(temp).chmod(0o644)
        Path(temp).replace(target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
