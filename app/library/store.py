"""SQL for the library: videos with their full-text index, channels, playlists, progress.

Writes of a batch of videos run in one transaction (videos, their index rows, channels,
playlists, comments); reads use the reader connection, so search never waits on indexing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import aiosqlite

from app.core.db import Database
from app.library.models import Comment, Progress, Video
from app.library.records import Record

Sort = Literal["downloaded", "published"]
_CHUNK = 500

_UPSERT_VIDEO = """
INSERT INTO library_videos (video_id, item_id, channel_id, published, downloaded_ns, data)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (video_id) DO UPDATE SET
    item_id = excluded.item_id, channel_id = excluded.channel_id,
    published = excluded.published, downloaded_ns = excluded.downloaded_ns,
    data = excluded.data
"""
# A known channel or playlist keeps what it had where the new record knows nothing.
_KEEP = """
        '$.{0}', coalesce(nullif(json_extract(excluded.data, '$.{0}'), ''),
            json_extract({1}.data, '$.{0}'))"""
_CHANNEL_KEPT = ("description", "url", "thumbnail", "banner")
_PLAYLIST_KEPT = ("description", "url", "thumbnail")
_UPSERT_CHANNEL = f"""
INSERT INTO library_channels (channel_id, name, data) VALUES (?, ?, ?)
ON CONFLICT (channel_id) DO UPDATE SET
    name = excluded.name,
    data = json_set(library_channels.data,
        '$.name', json_extract(excluded.data, '$.name'),
        '$.last_refresh', json_extract(excluded.data, '$.last_refresh'),
        {",".join(_KEEP.format(f, "library_channels") for f in _CHANNEL_KEPT)})
"""
_UPSERT_PLAYLIST = f"""
INSERT INTO library_playlists (playlist_id, channel_id, data) VALUES (?, ?, ?)
ON CONFLICT (playlist_id) DO UPDATE SET
    data = json_set(library_playlists.data,
        '$.title', json_extract(excluded.data, '$.title'),
        '$.last_refresh', json_extract(excluded.data, '$.last_refresh'),
        {",".join(_KEEP.format(f, "library_playlists") for f in _PLAYLIST_KEPT)})
"""
_INSERT_FTS = (
    "INSERT INTO library_fts (rowid, title, description, channel, tags, subtitles) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
# Title and tags weigh most, then the channel, the description, the subtitles.
_BM25 = "bm25(library_fts, 10.0, 2.0, 4.0, 6.0, 1.0)"


@dataclass(frozen=True, slots=True)
class Hit:
    video: Video
    rank: float
    snippet: str


def _marks(count: int) -> str:
    return ",".join("?" * count)


class LibraryStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._count: int | None = None

    async def put(self, records: Sequence[Record]) -> None:
        """Stores a batch of records (at most a few hundred) in one transaction."""
        if not records:
            return
        latest = {record.video.video_id: record for record in records}  # the last one wins
        ids = list(latest)
        select = (
            f"SELECT rowid, video_id FROM library_videos WHERE video_id IN ({_marks(len(ids))})"
        )
        async with self._db.transaction() as conn:
            cursor = await conn.execute(select, ids)
            known = len(list(await cursor.fetchall()))
            await conn.executemany(_UPSERT_VIDEO, [_video_row(r) for r in latest.values()])
            cursor = await conn.execute(select, ids)
            rowids = {row[1]: row[0] for row in await cursor.fetchall()}
            await conn.executemany(
                "DELETE FROM library_fts WHERE rowid = ?", [(r,) for r in rowids.values()]
            )
            await conn.executemany(_INSERT_FTS, [_fts_row(rowids[v], r) for v, r in latest.items()])
            await self._put_related(conn, list(latest.values()))
        if self._count is not None:
            self._count += len(ids) - known

    async def _put_related(self, conn: aiosqlite.Connection, records: list[Record]) -> None:
        channels = {r.channel.channel_id: r.channel for r in records if r.channel}
        await conn.executemany(
            _UPSERT_CHANNEL,
            [(c.channel_id, c.name, c.model_dump_json()) for c in channels.values()],
        )
        playlists = {r.playlist.playlist_id: r.playlist for r in records if r.playlist}
        await conn.executemany(
            _UPSERT_PLAYLIST,
            [(p.playlist_id, p.channel_id, p.model_dump_json()) for p in playlists.values()],
        )
        await conn.executemany(
            "INSERT OR REPLACE INTO library_playlist_videos (playlist_id, video_id, position) "
            "VALUES (?, ?, ?)",
            [
                (r.playlist.playlist_id, r.video.video_id, r.playlist_position)
                for r in records
                if r.playlist
            ],
        )
        comments = [
            (r.video.video_id, json.dumps([c.model_dump() for c in r.comments]))
            for r in records
            if r.comments
        ]
        await conn.executemany(
            "INSERT OR REPLACE INTO library_comments (video_id, data) VALUES (?, ?)", comments
        )

    async def delete_items(self, item_ids: Sequence[str]) -> int:
        """Forgets the videos that came from these history items."""
        deleted = 0
        async with self._db.transaction() as conn:
            for start in range(0, len(item_ids), _CHUNK):
                chunk = list(item_ids[start : start + _CHUNK])
                where = f"item_id IN ({_marks(len(chunk))})"
                cursor = await conn.execute(
                    f"SELECT rowid, video_id FROM library_videos WHERE {where}", chunk
                )
                rows = list(await cursor.fetchall())
                for sql in (
                    "DELETE FROM library_fts WHERE rowid = ?",
                    "DELETE FROM library_videos WHERE rowid = ?",
                ):
                    await conn.executemany(sql, [(row[0],) for row in rows])
                for table in ("library_playlist_videos", "library_comments"):
                    await conn.executemany(
                        f"DELETE FROM {table} WHERE video_id = ?", [(row[1],) for row in rows]
                    )
                deleted += len(rows)
        if self._count is not None:
            self._count -= deleted
        return deleted

    # Videos

    async def count(self) -> int:
        """How many videos: counted once, then kept up to date by this store's writes."""
        if self._count is None:
            counted = await self._db.fetch_value("SELECT count(*) FROM library_videos")
            self._count = int(counted or 0)
        return self._count

    def forget_count(self) -> None:
        """Call after the tables changed behind this store (a snapshot was restored)."""
        self._count = None

    async def known_items(self, item_ids: Sequence[str]) -> set[str]:
        """The history items among ``item_ids`` that the library holds a video of."""
        known: set[str] = set()
        for start in range(0, len(item_ids), _CHUNK):
            chunk = list(item_ids[start : start + _CHUNK])
            rows = await self._db.fetch_all(
                f"SELECT item_id FROM library_videos WHERE item_id IN ({_marks(len(chunk))})",
                chunk,
            )
            known.update(row[0] for row in rows)
        return known

    async def downloaded_of(self, video_ids: Sequence[str]) -> dict[str, int]:
        """When each video entered the library (a refresh keeps it, and so its place)."""
        ids = list(dict.fromkeys(video_ids))[:_CHUNK]
        if not ids:
            return {}
        rows = await self._db.fetch_all(
            "SELECT video_id, downloaded_ns FROM library_videos "
            f"WHERE video_id IN ({_marks(len(ids))})",
            ids,
        )
        return {row[0]: row[1] for row in rows}

    async def video(self, video_id: str) -> Video | None:
        row = await self._db.fetch_one(
            "SELECT data FROM library_videos WHERE video_id = ?", (video_id,)
        )
        if row is None:
            return None
        video = Video.model_validate_json(row[0])
        rows = await self._db.fetch_all(
            "SELECT playlist_id FROM library_playlist_videos WHERE video_id = ?", (video_id,)
        )
        video.playlist_ids = [r[0] for r in rows]
        return video

    async def videos(
        self,
        offset: int,
        limit: int,
        *,
        sort: Sort = "downloaded",
        channel_id: str | None = None,
        playlist_id: str | None = None,
        file: str | None = None,
    ) -> tuple[int, list[Video]]:
        """A page of videos, newest first, of a channel or a playlist when given; the
        video(s) of one file (relative to the download folder) when ``file`` is."""
        if file is not None:
            return await self._file_videos(file, offset, limit)
        if playlist_id is not None:
            return await self._playlist_videos(playlist_id, offset, limit)
        column = "downloaded_ns" if sort == "downloaded" else "published"
        if channel_id:
            where, params = "WHERE channel_id = ?", [channel_id]
            counted = await self._db.fetch_value(
                f"SELECT count(*) FROM library_videos {where}", params
            )
            total = int(counted or 0)
        else:
            where, params, total = "", [], await self.count()
        # An OFFSET walks the index from its end: a page past the middle is read from the
        # other end, so no page walks more than half of it.
        backwards = offset > total // 2
        if backwards:
            offset, limit = max(0, total - offset - limit), min(limit, max(0, total - offset))
        order = "ASC" if backwards else "DESC"
        rows = await self._db.fetch_all(
            f"SELECT data FROM library_videos {where} "
            f"ORDER BY {column} {order}, rowid {order} LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        videos = [Video.model_validate_json(row[0]) for row in rows]
        return total, videos[::-1] if backwards else videos

    async def _file_videos(self, file: str, offset: int, limit: int) -> tuple[int, list[Video]]:
        # The expression is the one migration 0011 indexes.
        rows = await self._db.fetch_all(
            "SELECT data FROM library_videos WHERE json_extract(data, '$.file') = ? "
            "ORDER BY downloaded_ns DESC, rowid DESC",
            (file,),
        )
        videos = [Video.model_validate_json(row[0]) for row in rows]
        return len(videos), videos[offset : offset + limit]

    async def _playlist_videos(
        self, playlist_id: str, offset: int, limit: int
    ) -> tuple[int, list[Video]]:
        total = await self._db.fetch_value(
            "SELECT count(*) FROM library_playlist_videos p "
            "JOIN library_videos v ON v.video_id = p.video_id WHERE p.playlist_id = ?",
            (playlist_id,),
        )
        rows = await self._db.fetch_all(
            "SELECT v.data FROM library_playlist_videos p "
            "JOIN library_videos v ON v.video_id = p.video_id WHERE p.playlist_id = ? "
            "ORDER BY p.position, v.rowid LIMIT ? OFFSET ?",
            (playlist_id, limit, offset),
        )
        return int(total or 0), [Video.model_validate_json(row[0]) for row in rows]

    async def comments(self, video_id: str) -> list[Comment]:
        text = await self._db.fetch_value(
            "SELECT data FROM library_comments WHERE video_id = ?", (video_id,)
        )
        return [Comment.model_validate(c) for c in json.loads(text)] if text else []

    # Search

    async def search(self, match: str, offset: int, limit: int) -> tuple[int, list[Hit]]:
        """Videos matching an FTS5 query, best first.

        Two tiers, each ranked with bm25: videos whose title, tags or channel hold the
        words, then those where only the description or subtitles do. Ranking costs a
        few microseconds a match, and a common word matches thousands of descriptions:
        the first pages rank only the first tier.
        """
        strong = f"{{title tags channel}} : ({match})"
        weak = f"({match}) NOT ({strong})"
        total = await self._count_matches(match)
        first = await self._count_matches(strong)
        ranked = []
        if offset < first:
            ranked += await self._ranked(strong, offset, limit)
        if offset + limit > first:
            start = max(0, offset - first)
            ranked += await self._ranked(weak, start, offset + limit - max(offset, first))
        rowids = [row[0] for row in ranked]
        rows = await self._db.fetch_all(
            f"SELECT rowid, data FROM library_videos WHERE rowid IN ({_marks(len(rowids))})",
            rowids,
        )
        data = {row[0]: row[1] for row in rows}
        hits = [
            Hit(Video.model_validate_json(data[r[0]]), float(r[1]), str(r[2]))
            for r in ranked
            if r[0] in data
        ]
        return total, hits

    async def _count_matches(self, match: str) -> int:
        counted = await self._db.fetch_value(
            "SELECT count(*) FROM library_fts WHERE library_fts MATCH ?", (match,)
        )
        return int(counted or 0)

    async def _ranked(self, match: str, offset: int, limit: int) -> list[aiosqlite.Row]:
        """(rowid, score, snippet) of a page of matches, ranked in FTS5 alone (a join or a
        subquery here would make SQLite build every match's snippet)."""
        return await self._db.fetch_all(
            f"SELECT rowid, {_BM25} AS score, "
            "snippet(library_fts, -1, '', '', '…', 16) AS snippet "
            "FROM library_fts WHERE library_fts MATCH ? ORDER BY score LIMIT ? OFFSET ?",
            (match, limit, offset),
        )

    async def term_known(self, term: str) -> bool:
        row = await self._db.fetch_one("SELECT 1 FROM library_terms WHERE term = ?", (term,))
        return row is not None

    async def terms_between(self, low: str, high: str, limit: int) -> list[tuple[str, int]]:
        """Indexed terms in ``[low, high)`` with how many videos hold each."""
        rows = await self._db.fetch_all(
            "SELECT term, doc FROM library_terms WHERE term >= ? AND term < ? LIMIT ?",
            (low, high, limit),
        )
        return [(str(row[0]), int(row[1])) for row in rows]

    # Progress

    async def progress(self, user_id: int, video_id: str) -> Progress:
        row = await self._db.fetch_one(
            "SELECT position, watched FROM library_progress WHERE user_id = ? AND video_id = ?",
            (user_id, video_id),
        )
        position, watched = (row[0], bool(row[1])) if row else (0.0, False)
        return Progress(video_id=video_id, user_id=user_id, position=position, watched=watched)

    async def progress_of(self, user_id: int, video_ids: Sequence[str]) -> dict[str, Progress]:
        ids = list(dict.fromkeys(video_ids))[:_CHUNK]
        if not ids:
            return {}
        rows = await self._db.fetch_all(
            "SELECT video_id, position, watched FROM library_progress "
            f"WHERE user_id = ? AND video_id IN ({_marks(len(ids))})",
            [user_id, *ids],
        )
        return {
            row[0]: Progress(video_id=row[0], user_id=user_id, position=row[1], watched=row[2])
            for row in rows
        }

    async def set_progress(self, progress: Progress) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO library_progress "
            "(user_id, video_id, position, watched, updated_ns) VALUES (?, ?, ?, ?, ?)",
            (
                progress.user_id,
                progress.video_id,
                progress.position,
                int(progress.watched),
                time.time_ns(),
            ),
        )

    async def delete_progress(self, user_id: int, video_id: str) -> None:
        await self._db.execute(
            "DELETE FROM library_progress WHERE user_id = ? AND video_id = ?", (user_id, video_id)
        )

    # State

    async def state(self, key: str) -> str | None:
        value = await self._db.fetch_value("SELECT value FROM library_state WHERE key = ?", (key,))
        return None if value is None else str(value)

    async def set_state(self, key: str, value: str) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO library_state (key, value) VALUES (?, ?)", (key, value)
        )


def _video_row(record: Record) -> tuple[str, str | None, str | None, str | None, int, str]:
    video = record.video
    return (
        video.video_id,
        video.item_id,
        video.channel_id,
        video.published,
        record.downloaded_ns,
        video.model_dump_json(),
    )


def _fts_row(rowid: int, record: Record) -> tuple[int, str, str, str, str, str]:
    video = record.video
    tags = " ".join([*video.tags, *video.categories])
    return (
        rowid,
        video.title,
        video.description,
        video.channel_name or "",
        tags,
        record.subtitles_text,
    )
