"""SQL for download items. The ``data`` column holds the item as clients see it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from typing import Literal

import aiosqlite

from app.core.db import Database
from app.core.pagination import Page
from app.downloads.blocks import Counts, split_full_blocks
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

    def keeps(self, status: str) -> bool:
        """The same filter over ``item_counts``, where no status is ``''``."""
        if self.negate:
            return status != self.status
        return status == self.status and status != ""


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

_CHUNK = 500  # ids per statement, well under SQLite's parameter limit

_UPSERT = """
INSERT INTO items (id, location, status, created_ns, extractor, video_id, cookies, data)
VALUES (?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    location = excluded.location, status = excluded.status, extractor = excluded.extractor,
    video_id = excluded.video_id, cookies = excluded.cookies, data = excluded.data
"""


def _every(status: str) -> bool:
    return True


class ItemStore:
    def __init__(self, db: Database) -> None:
        self._db = db
        # Running counts per (location, filter), valid while no write came in between: each
        # write moves the generation on before it starts and after it ends.
        self._generation = 0
        self._counts: dict[tuple[str, StatusFilter | None], tuple[int, Counts]] = {}

    @contextlib.asynccontextmanager
    async def _writing(self) -> AsyncIterator[aiosqlite.Connection]:
        self._generation += 1
        try:
            async with self._db.transaction() as conn:
                yield conn
        finally:
            self._generation += 1

    async def save(self, item: Item, location: Location) -> None:
        async with self._writing() as conn:
            await conn.execute(_UPSERT, _row(item, location))
            await split_full_blocks(conn)

    async def save_all(self, *, queue: Iterable[Item] = (), done: Iterable[Item] = ()) -> None:
        """Items of both locations in one transaction: all of them are stored, or none."""
        rows = [_row(item, "queue") for item in queue] + [_row(item, "done") for item in done]
        if rows:
            async with self._writing() as conn:
                await conn.executemany(_UPSERT, rows)
                await split_full_blocks(conn)

    async def delete(self, uids: Iterable[str]) -> int:
        """Deletes items in one transaction; answers how many there were."""
        ids = list(uids)
        if not ids:
            return 0
        async with self._writing() as conn:
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
        async with self._writing() as conn:
            await conn.execute(
                f"UPDATE items SET created_ns = (SELECT {edge} FROM items WHERE location = 'queue')"
                " WHERE id = ? AND location = 'queue'",
                (uid,),
            )
            await split_full_blocks(conn)

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
        are written (migration 0010): only those are read, not the whole history."""
        self._generation += 1  # a row set aside is deleted
        columns = ", ".join(f"i.{name}" for name in _ALL_COLUMNS.split(", "))
        await self._db.load_rows(
            "items",
            f"SELECT {columns} FROM items_unreadable AS u CROSS JOIN items AS i"
            " ON i.id = u.id WHERE i.location = ? AND NOT json_valid(i.data)",
            _not_json,
            (location,),
        )
        await self._db.execute(  # rows mended since they were noted
            "DELETE FROM items_unreadable WHERE id IN (SELECT u.id FROM items_unreadable AS u"
            " CROSS JOIN items AS i ON i.id = u.id WHERE json_valid(i.data))"
        )

    async def count(self, location: Location, status: StatusFilter | None = None) -> int:
        """From the counts kept as items change (migration 0010), not a scan."""
        return (await self._running_counts(location, status)).total

    async def _running_counts(self, location: Location, status: StatusFilter | None) -> Counts:
        key = (location, status)
        generation = self._generation
        cached = self._counts.get(key)
        if cached is not None and cached[0] == generation:
            return cached[1]
        rows = await self._db.fetch_all(
            "SELECT start_ns, status, n FROM item_counts WHERE location = ? AND n != 0",
            (location,),
        )
        counts = Counts.of(rows, status.keeps if status else _every)
        if generation == self._generation:  # no write began meanwhile
            self._counts[key] = (generation, counts)
        return counts

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

        The page's OFFSET starts at its block's edge (``app.downloads.blocks``): a page
        anywhere in the history steps over at most one block (about a thousand entries).
        ``total`` is the caller's count of the filter's items.
        """
        if page.offset >= total:
            return []
        counts = await self._running_counts(location, status)
        edge = counts.edge(page.offset, newest_first=order == "DESC")
        if edge is None:
            return []
        clause, params = status.sql() if status else ("", [])
        bound = f"created_ns >= {edge.start}" if order == "ASC" else f"created_ns < {edge.end}"
        rows = await self._db.fetch_all(
            f"SELECT data FROM items WHERE location = ? {clause} AND {bound} "
            f"ORDER BY created_ns {order}, id {order} LIMIT ? OFFSET ?",
            [location, *params, page.per_page, edge.skip],
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

    async def with_file(self, location: Location, path: str) -> list[Item]:
        """Items of ``location`` whose ``filename`` is ``path`` or lies in the folder ``path``
        (the file browser renamed, moved or deleted it). A scan: file actions are rare."""
        prefix = path + "/"
        rows = await self._db.fetch_all(
            "SELECT cookies, data FROM (SELECT cookies, data, "
            "json_extract(data, '$.filename') AS filename FROM items WHERE location = ?) "
            "WHERE filename = ? OR substr(filename, 1, ?) = ?",
            (location, path, len(prefix), prefix),
        )
        return [_item(row) for row in rows]
