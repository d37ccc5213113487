"""Queue state that must survive a restart, kept in the ``state`` table."""

from __future__ import annotations

from app.core.db import Database


class QueueState:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def paused(self) -> bool:
        value = await self._db.fetch_value("SELECT value FROM state WHERE key = 'paused'")
        return bool(value == "1")

    async def set_paused(self, paused: bool) -> None:
        await self._db.execute(
            "INSERT INTO state (key, value) VALUES ('paused', ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            ("1" if paused else "0",),
        )
