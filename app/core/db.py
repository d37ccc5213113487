"""SQLite access: one writer connection, one reader connection, numbered migrations.

All writes go through the writer (aiosqlite serialises them on its thread) in short
``BEGIN IMMEDIATE`` transactions; reads use their own connection so that a long page read
never waits behind a write (WAL lets them run side by side).

Stores load their rows through ``load_rows``: a row that no longer loads (damaged JSON, a
field that no longer validates) is moved to the ``quarantine`` table and logged once,
and the rest loads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import aiosqlite
from pydantic import ValidationError

from app.core.errors import AppError

Params = Sequence[Any] | dict[str, Any]
T = TypeVar("T")

# What "a row does not load" raises: bad JSON and pydantic's ValidationError are
# ValueErrors, a value of the wrong type a TypeError, our own validators an AppError.
UNLOADABLE = (ValueError, TypeError, AppError)

log = logging.getLogger(__name__)


class Database:
    def __init__(self, writer: aiosqlite.Connection, reader: aiosqlite.Connection) -> None:
        self._writer = writer
        self._reader = reader
        # aiosqlite serialises single calls, not a BEGIN..COMMIT spanning several awaits.
        self._write_lock = asyncio.Lock()

    @classmethod
    async def open(cls, path: Path) -> Database:
        """Opens and migrates the database; a file SQLite cannot use is sqlite3.DatabaseError.

        A connection left open would keep its (non-daemon) thread, and with it the whole
        process, alive after a failed start-up: every failure closes what was opened.
        """
        path.parent.mkdir(parents=True, exist_ok=True)
        async with contextlib.AsyncExitStack() as opened:
            writer = await _connect(path)
            opened.push_async_callback(writer.close)
            await _migrate(writer)
            reader = await _connect(path)
            opened.pop_all()
        return cls(writer, reader)

    async def close(self) -> None:
        await self._reader.close()
        await self._writer.close()

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """A write transaction; committed on success, rolled back on any error."""
        async with self._write_lock:
            await self._writer.execute("BEGIN IMMEDIATE")
            try:
                yield self._writer
            except BaseException:
                await self._writer.rollback()
                raise
            await self._writer.commit()

    async def execute(self, sql: str, params: Params = ()) -> int:
        """One write statement in its own transaction; returns the rows changed."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return cursor.rowcount

    async def execute_many(self, sql: str, rows: Iterable[Params]) -> None:
        async with self.transaction() as conn:
            await conn.executemany(sql, rows)

    async def insert(self, sql: str, params: Params = ()) -> int:
        """One INSERT in its own transaction; returns the new rowid."""
        async with self.transaction() as conn:
            cursor = await conn.execute(sql, params)
            return int(cursor.lastrowid or 0)

    async def fetch_all(self, sql: str, params: Params = ()) -> list[aiosqlite.Row]:
        async with self._reader.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetch_one(self, sql: str, params: Params = ()) -> aiosqlite.Row | None:
        async with self._reader.execute(sql, params) as cursor:
            return await cursor.fetchone()

    async def fetch_value(self, sql: str, params: Params = ()) -> Any:
        row = await self.fetch_one(sql, params)
        return None if row is None else row[0]

    async def load_rows(
        self, table: str, sql: str, parse: Callable[[aiosqlite.Row], T], params: Params = ()
    ) -> list[T]:
        """``parse`` of each row of ``sql`` (which selects ``id``); a row it refuses is set
        aside and skipped."""
        loaded: list[T] = []
        for row in await self.fetch_all(sql, params):
            try:
                loaded.append(parse(row))
            except UNLOADABLE as error:
                await self.quarantine(table, row, describe(error))
        return loaded

    async def quarantine(self, table: str, row: aiosqlite.Row, reason: str) -> None:
        """Moves ``row`` of ``table`` (a name from code) to the quarantine table."""
        data = json.dumps(dict(row), default=repr)
        async with self.transaction() as conn:
            await conn.execute(
                "INSERT INTO quarantine (source, row_id, reason, data, created_ns) "
                "VALUES (?, ?, ?, ?, ?)",
                (table, str(row["id"]), reason, data, time.time_ns()),
            )
            await conn.execute(f"DELETE FROM {table} WHERE id = ?", (row["id"],))
        log.warning(
            "%s row %s does not load and was moved to the quarantine table: %s",
            table,
            row["id"],
            reason,
        )


def describe(error: Exception) -> str:
    """One line for the log: a ValidationError names fields, never their values (secrets)."""
    if isinstance(error, ValidationError):
        return "; ".join(
            f"{'.'.join(map(str, e['loc'])) or 'row'}: {e['msg']}"
            for e in error.errors(include_input=False, include_url=False)
        )
    return " ".join(str(error).split()) or type(error).__name__


async def _connect(path: Path) -> aiosqlite.Connection:
    conn = await aiosqlite.connect(path, isolation_level=None)
    try:
        await _configure(conn)
    except BaseException:
        await conn.close()
        raise
    return conn


async def _configure(conn: aiosqlite.Connection) -> None:
    conn.row_factory = aiosqlite.Row
    await conn.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable under WAL against a process crash (kill -9); only a power cut
    # can lose the last transactions, which is the trade every WAL app makes.
    await conn.execute("PRAGMA synchronous=NORMAL")
    await conn.execute("PRAGMA foreign_keys=ON")
    await conn.execute("PRAGMA busy_timeout=5000")


def _migrations() -> list[tuple[int, str]]:
    found = []
    for entry in resources.files("app.migrations").iterdir():
        name = entry.name
        if name.endswith(".sql") and name[:4].isdigit():
            found.append((int(name[:4]), entry.read_text(encoding="utf-8")))
    return sorted(found)


async def _migrate(conn: aiosqlite.Connection) -> None:
    async with conn.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    current = int(row[0]) if row else 0
    for number, sql in _migrations():
        if number <= current:
            continue
        await conn.executescript(
            f"BEGIN IMMEDIATE;\n{sql}\nPRAGMA user_version = {number};\nCOMMIT;"
        )
