"""Benchmark 3: history scale. 100 vs 100,000 finished items in the database.

Prints start-up time, server RSS, and p50/p95 latency of history pages (near the start and
the end) with one client and with 8 concurrent clients, and of /api/history/live.
Targets: start-up < 1 s; RSS at 100,000 within 20 MB of RSS at 100; p95 < 15 ms with one
client; at least 500 pages/s with 8.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import time
from pathlib import Path

import aiohttp

from app.downloads.models import Item, Status
from bench.common import ServerProcess, rss_mb, summary_ms, workdir

PER_PAGE = 50


def seed(config: Path, count: int) -> None:
    """Writes ``count`` finished items straight into a migrated database."""
    config.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(config / "tubestash.db")
    from app.core.db import _migrations

    for number, sql in _migrations():
        db.executescript(sql)
        db.execute(f"PRAGMA user_version = {number}")
    base = time.time_ns()
    rows = []
    for n in range(count):
        item = Item(
            url=f"https://example.com/watch?v={n}",
            id=f"v{n}",
            extractor="Example",
            title=f"Video {n}",
            status=Status.FINISHED,
            filename=f"Video {n}.mp4",
            file_size=1_000_000 + n,
            timestamp=base + n,
            percent=100.0,
        )
        rows.append(
            (
                item.uid,
                "done",
                "finished",
                item.timestamp,
                "example",
                item.id,
                "",
                item.public_json(),
            )
        )
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    db.commit()
    db.close()


async def latencies(
    base: str, paths: list[str], clients: int, rounds: int
) -> tuple[list[float], float]:
    timings: list[float] = []

    async def worker(session: aiohttp.ClientSession) -> None:
        for n in range(rounds):
            started = time.perf_counter()
            async with session.get(base + paths[n % len(paths)]) as response:
                await response.read()
                assert response.status == 200
            timings.append(time.perf_counter() - started)

    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session) for _ in range(clients)))
        elapsed = time.perf_counter() - started
    return timings, len(timings) / elapsed


def measure(work: Path, count: int) -> None:
    data = work / f"h{count}"
    seed(data / "config", count)
    server = ServerProcess(data)
    startup = server.start()
    try:
        assert server.process is not None
        pid = server.process.pid
        last = max(1, -(-count // PER_PAGE))
        pages = [
            f"/api/history?type=done&page={k}&per_page={PER_PAGE}"
            for k in (1, 2, 3, last - 2, last - 1, last)
            if k >= 1
        ]
        asyncio.run(latencies(server.base_url, pages, 1, 50))  # warm up
        one, _ = asyncio.run(latencies(server.base_url, pages, 1, 300))
        _, rate = asyncio.run(latencies(server.base_url, pages, 8, 150))
        live, _ = asyncio.run(latencies(server.base_url, ["/api/history/live"], 1, 200))
        print(f"{count:>7} items: start-up {startup:.2f} s, RSS {rss_mb(pid):.1f} MB")
        print(f"          pages, 1 client: {summary_ms(one)}")
        print(f"          pages, 8 clients: {rate:.0f} pages/s")
        print(f"          /api/history/live: {summary_ms(live)}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with workdir() as work:
        measure(work, 100)
        measure(work, args.items)


if __name__ == "__main__":
    main()
