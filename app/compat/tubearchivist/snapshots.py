"""Snapshots of the library: SQLite online backups of the database, restored table by table.

A snapshot is the whole database copied with SQLite's online backup API (consistent while
the server writes), in a thread, under ``<config>/snapshots``. Restoring is
TubeArchivist's: it puts back what its snapshot holds (its Elasticsearch indices: videos,
channels, playlists, comments, subtitles, the watched state and the ignore list), here
the library's tables (videos and their full-text index, channels, playlists, comments),
every user's watch progress and the ignore list, in one transaction. Downloads, history,
presets, tasks and keys are not restored, and the library is kept consistent with them
there and then: progress of keys revoked since is dropped, and videos whose history item
was deleted since leave. What happened since on the other side (downloads finished since,
subscriptions) is the caller's to bring back (``admin.snapshot_restore``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from app.core.db import Database
from app.core.errors import NotFound
from app.library.users import ADMIN_USER

log = logging.getLogger(__name__)

NAME = re.compile(r"ta_daily_[0-9a-f]{8}")
TABLES = (
    "library_videos",
    "library_fts",
    "library_channels",
    "library_playlists",
    "library_playlist_videos",
    "library_comments",
    "library_progress",
    "tubearchivist_ignored",
)
# The library's videos whose history item is gone (deleted since the snapshot was taken).
_GONE = (
    "SELECT {} FROM library_videos WHERE item_id IS NOT NULL "
    "AND item_id NOT IN (SELECT id FROM items)"
)
CONSISTENT = (
    # Progress of users that are no more: API keys revoked since (library/users.py).
    f"DELETE FROM library_progress WHERE user_id <> {ADMIN_USER} "
    f"AND user_id - {ADMIN_USER} NOT IN (SELECT id FROM api_keys)",
    f"DELETE FROM library_fts WHERE rowid IN ({_GONE.format('rowid')})",
    f"DELETE FROM library_playlist_videos WHERE video_id IN ({_GONE.format('video_id')})",
    f"DELETE FROM library_comments WHERE video_id IN ({_GONE.format('video_id')})",
    f"DELETE FROM library_videos WHERE rowid IN ({_GONE.format('rowid')})",
)
CHUNK = 2000


def _stamp(epoch: float) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))


class Snapshots:
    def __init__(
        self, db: Database, db_path: Path, folder: Path, restored: Callable[[], None]
    ) -> None:
        """``restored`` is called once the library's tables were put back."""
        self._db = db
        self._restored = restored
        self._db_path = db_path
        self._folder = folder
        self._jobs: set[asyncio.Task[None]] = set()

    async def close(self) -> None:
        for job in list(self._jobs):
            job.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)

    async def settled(self) -> None:
        """Waits for the snapshots being taken now."""
        await asyncio.gather(*self._jobs, return_exceptions=True)

    def _path(self, name: str, suffix: str) -> Path:
        if not NAME.fullmatch(name):
            raise NotFound(f"No snapshot named {name[:100]!r}.")
        return self._folder / f"{name}{suffix}"

    async def create(self) -> str:
        """Starts a snapshot in the background; answers its name at once."""
        name = f"ta_daily_{secrets.token_hex(4)}"
        started = time.time()
        await asyncio.to_thread(self._write_meta, name, {"state": "IN_PROGRESS", "start": started})
        job = asyncio.create_task(self._take(name, started), name=f"snapshot-{name}")
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)
        return name

    async def _take(self, name: str, started: float) -> None:
        try:
            await asyncio.to_thread(self._backup, self._path(name, ".db"))
            meta = {"state": "SUCCESS", "start": started, "end": time.time()}
        except (OSError, sqlite3.Error):
            log.exception("snapshot %s failed", name)
            meta = {"state": "FAILED", "start": started, "end": time.time()}
        await asyncio.to_thread(self._write_meta, name, meta)

    def _backup(self, target: Path) -> None:
        partial = target.with_suffix(".part")
        with sqlite3.connect(self._db_path) as source, sqlite3.connect(partial) as copy:
            source.backup(copy)
        copy.close()
        source.close()
        partial.replace(target)

    def _write_meta(self, name: str, meta: dict[str, Any]) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        self._path(name, ".json").write_text(json.dumps(meta))

    async def all(self) -> list[dict[str, Any]]:
        return await asyncio.to_thread(self._list)

    def _list(self) -> list[dict[str, Any]]:
        if not self._folder.is_dir():
            return []
        names = sorted(p.stem for p in self._folder.glob("ta_daily_*.json"))
        found = [self._read(name) for name in names if NAME.fullmatch(name)]
        return sorted(found, key=lambda s: s["start_date"], reverse=True)

    async def get(self, name: str) -> dict[str, Any]:
        return await asyncio.to_thread(self._read, name)

    def _read(self, name: str) -> dict[str, Any]:
        try:
            meta = json.loads(self._path(name, ".json").read_text())
        except (OSError, ValueError):
            raise NotFound(f"No snapshot named {name[:100]!r}.") from None
        start, end = float(meta.get("start", 0)), meta.get("end")
        return {
            "id": name,
            "state": meta.get("state", "FAILED"),
            "es_version": "0.0.0",
            "start_date": _stamp(start),
            "end_date": _stamp(end) if end else None,
            "end_stamp": int(end * 1000) if end else None,
            "duration_s": round(end - start) if end else None,
        }

    async def delete(self, name: str) -> None:
        await self.get(name)
        for suffix in (".db", ".json"):
            await asyncio.to_thread(self._path(name, suffix).unlink, True)

    async def restore(self, name: str) -> None:
        """Puts the library's tables back as they were in the snapshot, less what is no
        more (progress of revoked keys, videos of deleted history items)."""
        if (await self.get(name))["state"] != "SUCCESS":
            raise NotFound(f"Snapshot {name} is not complete.")
        source = self._path(name, ".db")
        async with self._db.transaction() as conn:
            for table in TABLES:
                await conn.execute(f"DELETE FROM {table}")
                columns, rows = await asyncio.to_thread(_reader, source, table)
                marks = ",".join("?" * len(columns))
                insert = f"INSERT INTO {table} ({','.join(columns)}) VALUES ({marks})"
                while chunk := await asyncio.to_thread(next, rows, None):
                    await conn.executemany(insert, chunk)
            for statement in CONSISTENT:
                await conn.execute(statement)
        self._restored()


def _reader(path: Path, table: str) -> tuple[list[str], Iterator[list[tuple[Any, ...]]]]:
    """The columns of a snapshot's table and an iterator over its rows, in chunks."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    columns = ["rowid"] if table.endswith("_fts") else []
    columns += [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
    columns = list(dict.fromkeys(columns))
    cursor = conn.execute(f"SELECT {','.join(columns)} FROM {table}")

    def chunks() -> Iterator[list[tuple[Any, ...]]]:
        try:
            while batch := cursor.fetchmany(CHUNK):
                yield batch
        finally:
            conn.close()

    return columns, chunks()
