"""SQL for download items. The ``data`` column holds the item as clients see it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Any, Literal

import aiosqlite

from app.core.db import Database, Params
from app.core.pagination import Page
from app.downloads.models import Item

Location = Literal["queue", "done"]
Order = Literal["ASC", "DESC"]


@dataclass(frozen=True, slots=True)
class StatusFilter:
    """``finished`` keeps that status; ``!finished`` keeps every other one."""

    status: str
    negate: bool = False

    @classmethod
    def parse(cls, text: str) -> StatusFilter:
        if text.startswith("!"):
            return cls(text[1:], negate=True)
        return cls(text)

    def sql(self) -> tuple[str, list[str]]:
        if self.negate:
            return "AND (status IS NULL OR status != ?)", [self.status]
        return "AND status = ?", [self.status]

    def counts_sql(self) -> tuple[str, list[str]]:
        """The same filter over ``item_counts``, where no status is ``''``."""
        if self.negate:
            return "AND status != ?", [self.status]
        return "AND status = ? AND status != ''", [self.status]


def _row(
    item: Item, location: Location
) -> tuple[str, str, str | None, int, str | None, str | None, str, str]:
    status = item.status.value if item.status else None
    return (
        item.uid,
        location,
        status,
        item.timestamp,
        item.extractor.lower() if item.extractor else None,
        item.id,
        item.cookies,
        item.public_json(),
    )


def _item(row: aiosqlite.Row) -> Item:
    item = Item.model_validate_json(row["data"])
    item.cookies = row["cookies"] or ""
    return item


def _not_json(row: aiosqlite.Row) -> None:
    raise ValueError("the stored item is not JSON")


# Every column: a row set aside is kept whole.
_ALL_COLUMNS = "id, location, status, created_ns, extractor, video_id, cookies, data"

_MAX_NS = 2**63 - 1

# The block holding the item at an offset (``?`` after the filter's own parameters), in
# the page's order: its start, the next block's start (None for the last), and how many
# of the filter's items come before it.
_BLOCK_OF_OFFSET = """
SELECT start_ns, end_ns, before FROM (
    SELECT start_ns, n,
        lead(start_ns) OVER (ORDER BY start_ns) AS end_ns,
        sum(n) OVER (ORDER BY start_ns {order} ROWS UNBOUNDED PRECEDING) - n AS before
    FROM (
        SELECT start_ns, sum(n) AS n FROM item_counts WHERE location = ? {clause}
        GROUP BY start_ns
    )
) WHERE before + n > ? ORDER BY start_ns {order} LIMIT 1
"""

# A block is split when it holds more than twice this many items.
BLOCK_SIZE = 1000

_CHUNK = 500  # ids per statement, well under SQLite's parameter limit

_UPSERT = """
INSERT INTO items (id, location, status, created_ns, extractor, video_id, cookies, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    location = excluded.location, status = excluded.status, extractor = excluded.extractor,
    video_id = excluded.video_id, cookies = excluded.cookies, data = excluded.data
"""


async def _value(conn: aiosqlite.Connection, sql: str, params: Params) -> Any:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def _split_full_blocks(conn: aiosqlite.Connection) -> None:
    """Splits, in the writer's open transaction, every block grown past twice its size."""
    async with conn.execute(
        "SELECT start_ns, n FROM item_blocks WHERE n > ?", (2 * BLOCK_SIZE,)
    ) as cursor:
        full = list(await cursor.fetchall())
    for start, n in full:
        await _split(conn, start, n)


async def _split(conn: aiosqlite.Connection, start: int, n: int) -> None:
    end = await _value(conn, "SELECT min(start_ns) FROM item_blocks WHERE start_ns > ?", (start,))
    end = _MAX_NS if end is None else end
    inside = "location IN ('queue', 'done') AND created_ns >= ? AND created_ns < ?"
    middle = await _value(
        conn,
        f"SELECT created_ns FROM items WHERE {inside} ORDER BY created_ns LIMIT 1 OFFSET ?",
        (start, end, n // 2),
    )
    if middle is None or middle <= start:  # the first half shares one time: cut after it
        middle = await _value(
            conn,
            f"SELECT min(created_ns) FROM items WHERE {inside} AND created_ns > ?",
            (start, end, start),
        )
    if middle is None:
        return  # every item of the block has the same time: it cannot be cut
    await conn.execute("INSERT INTO item_blocks (start_ns) VALUES (?)", (middle,))
    await conn.execute("DELETE FROM item_counts WHERE start_ns = ?", (start,))
    await conn.execute(
        "INSERT INTO item_counts (location, status, start_ns, n) SELECT location,"
        " coalesce(status, ''), CASE WHEN created_ns < ? THEN ? ELSE ? END, count(*)"
        f" FROM items WHERE {inside} GROUP BY 1, 2, 3",
        (middle, start, middle, start, end),
    )
    await conn.execute(
        "UPDATE item_blocks SET n = (SELECT coalesce(sum(n), 0) FROM item_counts"
        " WHERE item_counts.start_ns = item_blocks.start_ns) WHERE start_ns IN (?, ?)",
        (start, middle),
    )


class ItemStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def save(self, item: Item, location: Location) -> None:
        async with self._db.transaction() as conn:
            await conn.execute(_UPSERT, _row(item, location))
            await _split_full_blocks(conn)

    async def save_all(self, *, queue: Iterable[Item] = (), done: Iterable[Item] = ()) -> None:
        """Items of both locations in one transaction: all of them are stored, or none."""
        rows = [_row(item, "queue") for item in queue] + [_row(item, "done") for item in done]
        if rows:
            async with self._db.transaction() as conn:
                await conn.executemany(_UPSERT, rows)
                await _split_full_blocks(conn)

    async def delete(self, uids: Iterable[str]) -> int:
        """Deletes items in one transaction; answers how many there were."""
        ids = list(uids)
        if not ids:
            return 0
        async with self._db.transaction() as conn:
            deleted = 0
            # SQLite allows a limited number of parameters per statement.
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ",".join("?" * len(chunk))
                cursor = await conn.execute(f"DELETE FROM items WHERE id IN ({marks})", chunk)
                deleted += cursor.rowcount
            return deleted

    async def get_many(self, uids: Iterable[str], location: Location) -> list[Item]:
        """The items of ``location`` among ``uids``, in no particular order."""
        ids = list(dict.fromkeys(uids))
        items = []
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ",".join("?" * len(chunk))
            rows = await self._db.fetch_all(
                f"SELECT cookies, data FROM items WHERE location = ? AND id IN ({marks})",
                [location, *chunk],
            )
            items += [_item(row) for row in rows]
        return items

    async def finished_identities(
        self, identities: Iterable[tuple[str, str]]
    ) -> set[tuple[str, str]]:
        """Those of the (extractor, video id) pairs that history holds as finished."""
        wanted = list(dict.fromkeys(identities))
        found: set[tuple[str, str]] = set()
        for start in range(0, len(wanted), _CHUNK // 2):
            chunk = wanted[start : start + _CHUNK // 2]
            pairs = ",".join("(?, ?)" for _ in chunk)
            # A join, not "IN (VALUES ...)": only the join seeks items_finished_identity.
            rows = await self._db.fetch_all(
                f"SELECT DISTINCT i.extractor, i.video_id FROM (VALUES {pairs}) AS wanted"
                " JOIN items AS i ON i.extractor = wanted.column1"
                " AND i.video_id = wanted.column2"
                " WHERE i.location = 'done' AND i.status = 'finished'",
                [value for pair in chunk for value in pair],
            )
            found.update((row["extractor"], row["video_id"]) for row in rows)
        return found

    async def with_identities(
        self, location: Location, identities: Iterable[tuple[str, str]]
    ) -> list[Item]:
        """The items of ``location`` whose (extractor, video id) is one of ``identities``."""
        rows = await self._by_identity(
            f"SELECT cookies, data FROM items WHERE location = '{location}'", identities
        )
        return [_item(row) for row in rows]

    async def _by_identity(
        self, select: str, identities: Iterable[tuple[str, str]]
    ) -> list[aiosqlite.Row]:
        wanted = list(dict.fromkeys(identities))
        rows: list[aiosqlite.Row] = []
        for start in range(0, len(wanted), _CHUNK // 2):
            chunk = wanted[start : start + _CHUNK // 2]
            pairs = ",".join("(?, ?)" for _ in chunk)
            rows += await self._db.fetch_all(
                f"{select} AND (extractor, video_id) IN (VALUES {pairs})",
                [value for pair in chunk for value in pair],
            )
        return rows

    async def reorder(self, uid: str, to: Literal["top", "bottom"]) -> None:
        """Puts a queued item first or last in the order the queue is loaded in."""
        edge = "MIN(created_ns) - 1" if to == "top" else "MAX(created_ns) + 1"
        async with self._db.transaction() as conn:
            await conn.execute(
                f"UPDATE items SET created_ns = (SELECT {edge} FROM items WHERE location = 'queue')"
                " WHERE id = ? AND location = 'queue'",
                (uid,),
            )
            await _split_full_blocks(conn)

    async def get(self, uid: str) -> tuple[Item, Location] | None:
        row = await self._db.fetch_one(
            "SELECT location, cookies, data FROM items WHERE id = ?", (uid,)
        )
        if row is None:
            return None
        return _item(row), row["location"]

    async def load(self, location: Location) -> list[Item]:
        """Every item of a location; one that no longer validates is set aside (moved to
        the quarantine table) and left out."""
        return await self._db.load_rows(
            "items",
            f"SELECT {_ALL_COLUMNS} FROM items WHERE location = ? ORDER BY created_ns, id",
            _item,
            (location,),
        )

    async def set_aside_unreadable(self, location: Location) -> None:
        """Sets aside rows whose stored text is not JSON: pages join the texts unparsed,
        so one such row would break every page it is on. Triggers note such rows as they
        are written (migration 0008): only those are read, not the whole history."""
        await self._db.load_rows(
            "items",
            f"SELECT {_ALL_COLUMNS} FROM items WHERE location = ? AND NOT json_valid(data)"
            " AND id IN (SELECT id FROM items_unreadable)",
            _not_json,
            (location,),
        )
        await self._db.execute(  # rows mended since they were noted
            "DELETE FROM items_unreadable WHERE id IN"
            " (SELECT id FROM items WHERE id IN (SELECT id FROM items_unreadable)"
            " AND json_valid(data))"
        )

    async def count(self, location: Location, status: StatusFilter | None = None) -> int:
        """From the counts kept as items change (migration 0008), not a scan."""
        clause, params = status.counts_sql() if status else ("", [])
        value = await self._db.fetch_value(
            f"SELECT sum(n) FROM item_counts WHERE location = ? {clause}", [location, *params]
        )
        return int(value or 0)

    async def page_json(
        self,
        location: Location,
        page: Page,
        *,
        order: Order = "DESC",
        status: StatusFilter | None = None,
        total: int,
    ) -> list[str]:
        """One page of items as stored JSON text, newest or oldest first.

        An OFFSET steps over every index entry before it, so the page's block is found by
        adding up the blocks' counts, and the OFFSET starts at that block's edge: a page
        anywhere in the history steps over at most one block (about a thousand entries).
        """
        if page.offset >= total:
            return []
        clause, params = status.counts_sql() if status else ("", [])
        block = await self._db.fetch_one(
            _BLOCK_OF_OFFSET.format(clause=clause, order=order),
            [location, *params, page.offset],
        )
        if block is None:
            return []
        start, end, before = block
        clause, params = status.sql() if status else ("", [])
        edge = f"created_ns >= {start}" if order == "ASC" else f"created_ns < {end or _MAX_NS}"
        rows = await self._db.fetch_all(
            f"SELECT data FROM items WHERE location = ? {clause} AND {edge} "
            f"ORDER BY created_ns {order}, id {order} LIMIT ? OFFSET ?",
            [location, *params, page.per_page, page.offset - before],
        )
        return [row[0] for row in rows]

    async def iter_json(self, location: Location, chunk: int = 500) -> AsyncIterator[list[str]]:
        """Every item of a location, oldest first, in chunks read by key (no OFFSET walk)."""
        after = (-1, "")
        while True:
            rows = await self._db.fetch_all(
                "SELECT created_ns, id, data FROM items WHERE location = ? "
                "AND (created_ns, id) > (?, ?) ORDER BY created_ns, id LIMIT ?",
                (location, *after, chunk),
            )
            if not rows:
                return
            yield [row[2] for row in rows]
            after = (rows[-1][0], rows[-1][1])

    async def ids_matching(self, location: Location, status: StatusFilter) -> list[str]:
        clause, params = status.sql()
        rows = await self._db.fetch_all(
            f"SELECT id FROM items WHERE location = ? {clause}", [location, *params]
        )
        return [row[0] for row in rows]
