"""Blocks of the items' order, and their counts: how a page far into the history is found
without stepping over every item before it (migration 0010 explains the tables).

SQLite's B-trees do not know positions, so an OFFSET walks every entry before it. The
items' order (created_ns) is cut into blocks of about ``BLOCK_SIZE`` items whose counts
per location and status triggers keep. A page adds up the counts of the blocks before it
(in memory, from a copy read once per change of the table) and starts its OFFSET at its
block's edge: a page anywhere costs one index seek and at most one block's walk.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import aiosqlite

from app.core.db import Params

# A block is split when it holds more than twice this many items.
BLOCK_SIZE = 1000
MAX_NS = 2**63 - 1


@dataclass(frozen=True, slots=True)
class Edge:
    """Where a page starts: ``created_ns >= start`` (oldest first) or ``created_ns < end``
    (newest first), then ``skip`` items of the filter."""

    start: int
    end: int
    skip: int


@dataclass(frozen=True, slots=True)
class Counts:
    """The running counts of one location and status filter, block by block (oldest first)."""

    starts: list[int]
    before: list[int]  # items of the filter before each block; the last entry is the total

    @classmethod
    def of(cls, rows: Iterable[Any], keep: Callable[[str], bool]) -> Counts:
        """From ``(start_ns, status, n)`` rows of ``item_counts``, the filter's blocks."""
        per_block: dict[int, int] = {}
        for start, status, n in rows:
            if keep(status):
                per_block[start] = per_block.get(start, 0) + n
        starts = sorted(per_block)
        before = [0]
        for start in starts:
            before.append(before[-1] + per_block[start])
        return cls(starts, before)

    @property
    def total(self) -> int:
        return self.before[-1]

    def edge(self, offset: int, newest_first: bool) -> Edge | None:
        """The block holding the item at ``offset`` in the page's order."""
        if not 0 <= offset < self.total:
            return None
        position = self.total - 1 - offset if newest_first else offset
        k = bisect.bisect_right(self.before, position) - 1
        end = self.starts[k + 1] if k + 1 < len(self.starts) else MAX_NS
        skip = (
            offset - (self.total - self.before[k + 1]) if newest_first else offset - self.before[k]
        )
        return Edge(self.starts[k], end, skip)


async def _value(conn: aiosqlite.Connection, sql: str, params: Params) -> Any:
    async with conn.execute(sql, params) as cursor:
        row = await cursor.fetchone()
    return None if row is None else row[0]


async def split_full_blocks(conn: aiosqlite.Connection) -> None:
    """Splits, in the writer's open transaction, every block grown past twice its size."""
    async with conn.execute(
        "SELECT start_ns, n FROM item_blocks WHERE n > ?", (2 * BLOCK_SIZE,)
    ) as cursor:
        full = list(await cursor.fetchall())
    for start, n in full:
        await _split(conn, start, n)


async def _split(conn: aiosqlite.Connection, start: int, n: int) -> None:
    end = await _value(conn, "SELECT min(start_ns) FROM item_blocks WHERE start_ns > ?", (start,))
    end = MAX_NS if end is None else end
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
