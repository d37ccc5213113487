"""History pages and counts over a real SQLite file, against the same answers worked out in
Python: blocks built by the migration of an older database, blocks split as items are
stored, counts kept through inserts, moves, status changes, reorders and deletes."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from app.core.db import Database, _migrations
from app.core.pagination import Page
from app.downloads.blocks import BLOCK_SIZE
from app.downloads.models import Item, Status
from app.downloads.store import ItemStore, Order, StatusFilter

STATUSES = [Status.FINISHED, Status.FINISHED, Status.FINISHED, Status.ERROR, Status.CANCELLED]
FILTERS = [None, "finished", "error", "!finished", "!cancelled", "skip"]


def _item(rng: random.Random, n: int) -> Item:
    # Few distinct times: many items share one, as items of one playlist may.
    return Item(
        url=f"https://example.com/{n}",
        id=f"v{n}",
        extractor="Example",
        title=f"Video {n}",
        status=rng.choice(STATUSES),
        timestamp=rng.randrange(3000) * 1000,
    )


def _expected(
    items: list[Item], page: Page, order: Order, status: str | None
) -> tuple[int, list[str]]:
    wanted = StatusFilter.parse(status) if status else None
    kept = [i for i in items if wanted is None or ((i.status == wanted.status) != wanted.negate)]
    kept.sort(key=lambda i: (i.timestamp, i.uid), reverse=order == "DESC")
    return len(kept), [i.uid for i in kept[page.offset : page.offset + page.per_page]]


async def _check(store: ItemStore, items: list[Item], rng: random.Random) -> None:
    for status in FILTERS:
        wanted = StatusFilter.parse(status) if status else None
        total = await store.count("done", wanted)
        last = max(1, -(-total // 37))
        spots = {1, 2, last // 2, last - 1, last, last + 1}
        for number in spots | {rng.randint(1, last) for _ in range(5)}:
            for order in ("ASC", "DESC"):
                page = Page(max(1, number), 37)
                expected_total, expected = _expected(items, page, order, status)
                texts = await store.page_json("done", page, order=order, status=wanted, total=total)
                assert total == expected_total, status
                assert [Item.model_validate_json(t).uid for t in texts] == expected, (
                    status,
                    order,
                    number,
                )


@pytest.fixture
def rng() -> random.Random:
    return random.Random(15)


async def test_an_older_database_gets_its_counts_from_the_migration(
    tmp_path: Path, rng: random.Random
) -> None:
    path = tmp_path / "tubestash.db"
    old = sqlite3.connect(path)
    for number, sql in _migrations():
        if number < 10:  # before 0010_item_counts
            old.executescript(sql)
            old.execute(f"PRAGMA user_version = {number}")
    items = [_item(rng, n) for n in range(5 * BLOCK_SIZE)]
    old.executemany(
        "INSERT INTO items VALUES (?, 'done', ?, ?, 'example', ?, '', ?)",
        [(i.uid, i.status, i.timestamp, i.id, i.public_json()) for i in items],
    )
    old.commit()
    old.close()
    db = await Database.open(path)
    try:
        blocks = await db.fetch_value("SELECT count(*) FROM item_blocks")
        assert blocks >= 5
        await _check(ItemStore(db), items, rng)
    finally:
        await db.close()


async def test_counts_and_pages_follow_every_change(tmp_path: Path, rng: random.Random) -> None:
    db = await Database.open(tmp_path / "tubestash.db")
    store = ItemStore(db)
    try:
        items = [_item(rng, n) for n in range(6 * BLOCK_SIZE)]
        for start in range(0, len(items), 500):  # blocks are split as they grow
            await store.save_all(done=items[start : start + 500])
        assert await db.fetch_value("SELECT max(n) FROM item_blocks") <= 2 * BLOCK_SIZE
        assert await db.fetch_value("SELECT count(*) FROM item_blocks") >= 4
        await _check(store, items, rng)

        queued = [_item(rng, n) for n in range(10_000, 10_050)]
        await store.save_all(queue=queued)
        await store.reorder(queued[-1].uid, "top")
        for item in queued[:20]:  # moved to history, finished
            item.status = Status.FINISHED
            await store.save(item, "done")
        items += queued[:20]
        for item in rng.sample(items, 300):  # a status changes
            item.status = Status.ERROR
            await store.save(item, "done")
        gone = set(rng.sample([i.uid for i in items], 700))
        assert await store.delete(gone) == 700
        items = [i for i in items if i.uid not in gone]
        await _check(store, items, rng)
        assert await store.count("queue") == 30
        counted = await db.fetch_all(
            "SELECT location, status, sum(n) FROM item_counts GROUP BY 1, 2 HAVING sum(n) > 0"
        )
        scanned = await db.fetch_all(
            "SELECT location, coalesce(status, ''), count(*) FROM items GROUP BY 1, 2"
        )
        assert sorted(map(tuple, counted)) == sorted(map(tuple, scanned))
    finally:
        await db.close()
