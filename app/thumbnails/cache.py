"""A small disk cache of fetched thumbnails, bounded in bytes, least recently used out first.

One file per URL, named by the URL's SHA-256, so nothing from a request becomes a path. The
index (name → size, in use order) lives in memory and is rebuilt from the folder at start,
oldest modification first; a hit touches its file so the order survives a restart. Each
file counts at least one disk block, which also bounds how many entries the index holds.
Every file operation runs in a thread: the loop never waits on the disk. The cache is a
convenience: when the disk fails it, the image is still served, just not kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import os
import secrets
from collections import OrderedDict
from pathlib import Path

NAME_LENGTH = 64  # hex SHA-256
BLOCK = 4096  # the least a file costs on disk

log = logging.getLogger(__name__)


def key_of(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


class ThumbnailCache:
    def __init__(self, folder: Path, max_bytes: int) -> None:
        """``max_bytes`` 0 turns the cache off."""
        self._folder = folder
        self._max_bytes = max_bytes
        self._index: OrderedDict[str, int] = OrderedDict()
        self._total = 0

    @property
    def total(self) -> int:
        """Bytes the cached files take, each counted at least one block."""
        return self._total

    def __len__(self) -> int:
        return len(self._index)

    async def open(self) -> None:
        """Reads the folder; with the cache off, what an earlier run kept is removed."""
        entries = await asyncio.to_thread(_scan, self._folder)
        for name, size in entries:
            self._index[name] = _cost(size)
            self._total += _cost(size)
        await self._evict()

    async def get(self, url: str) -> bytes | None:
        key = key_of(url)
        if key not in self._index:
            return None
        self._index.move_to_end(key)
        try:
            body = await asyncio.to_thread(_read, self._folder / key)
        except OSError as exc:
            log.warning("thumbnail cache: cannot read %s: %s", key, exc)
            body = None
        if body is None:  # removed behind our back (or by an eviction just now)
            self._forget(key)
        return body

    async def put(self, url: str, body: bytes) -> None:
        cost = _cost(len(body))
        if not body or cost > self._max_bytes:
            return
        key = key_of(url)
        try:
            await asyncio.to_thread(_write, self._folder, key, body)
        except OSError as exc:  # a full disk, a read-only folder
            log.warning("thumbnail cache: cannot keep %s: %s", key, exc)
            return
        self._forget(key)
        self._index[key] = cost
        self._total += cost
        await self._evict()

    def _forget(self, key: str) -> None:
        size = self._index.pop(key, None)
        if size is not None:
            self._total -= size

    async def _evict(self) -> None:
        doomed: list[str] = []
        while self._total > self._max_bytes and self._index:
            key, size = self._index.popitem(last=False)
            self._total -= size
            doomed.append(key)
        if doomed:
            await asyncio.to_thread(_remove, self._folder, doomed)


def _cost(size: int) -> int:
    return max(size, BLOCK)


def _scan(folder: Path) -> list[tuple[str, int]]:
    if not folder.is_dir():
        return []  # made by the first write: no thumbnail shown, no folder
    found: list[tuple[float, str, int]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if len(entry.name) != NAME_LENGTH or not entry.is_file(follow_symlinks=False):
                if entry.name.startswith(".part-"):  # a write cut short by a crash
                    with contextlib.suppress(OSError):
                        Path(entry.path).unlink()
                continue
            stat = entry.stat(follow_symlinks=False)
            found.append((stat.st_mtime, entry.name, stat.st_size))
    return [(name, size) for _, name, size in sorted(found)]


def _read(path: Path) -> bytes | None:
    try:
        body = path.read_bytes()
        os.utime(path)
    except FileNotFoundError:
        return None
    return body


def _write(folder: Path, key: str, body: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    part = folder / f".part-{secrets.token_hex(8)}"
    try:
        part.write_bytes(body)
        part.replace(folder / key)  # readers see the whole file or none
    finally:
        part.unlink(missing_ok=True)


def _remove(folder: Path, keys: list[str]) -> None:
    for key in keys:
        with contextlib.suppress(FileNotFoundError):
            (folder / key).unlink()
