"""The download queue's "ignore" list: SQL for the videos a client said not to download."""

from __future__ import annotations

import time
from dataclasses import dataclass

from app.core.db import Database


@dataclass(frozen=True, slots=True)
class Ignored:
    video_id: str
    url: str
    title: str | None
    channel: str | None
    added_ns: int


class IgnoreList:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def add(self, video_id: str, url: str, title: str | None, channel: str | None) -> None:
        await self._db.execute(
            "INSERT OR REPLACE INTO tubearchivist_ignored "
            "(video_id, url, title, channel, added_ns) VALUES (?, ?, ?, ?, ?)",
            (video_id, url, title, channel, time.time_ns()),
        )

    async def get(self, video_id: str) -> Ignored | None:
        row = await self._db.fetch_one(
            "SELECT video_id, url, title, channel, added_ns FROM tubearchivist_ignored "
            "WHERE video_id = ?",
            (video_id,),
        )
        return None if row is None else Ignored(*row)

    async def page(self, offset: int, limit: int, channel: str | None) -> tuple[int, list[Ignored]]:
        where, params = ("WHERE channel = ?", [channel]) if channel else ("", [])
        total = await self._db.fetch_value(
            f"SELECT count(*) FROM tubearchivist_ignored {where}", params
        )
        rows = await self._db.fetch_all(
            "SELECT video_id, url, title, channel, added_ns FROM tubearchivist_ignored "
            f"{where} ORDER BY added_ns DESC, video_id LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return int(total or 0), [Ignored(*row) for row in rows]

    async def remove(self, video_id: str) -> bool:
        return bool(
            await self._db.execute(
                "DELETE FROM tubearchivist_ignored WHERE video_id = ?", (video_id,)
            )
        )

    async def clear(self) -> int:
        return await self._db.execute("DELETE FROM tubearchivist_ignored")
