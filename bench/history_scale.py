"""Benchmark 3: history scale. 100 items against 1,000,000 (``--items``) in the database.

For each size it prints:

- cold start: from ``python main.py`` until the first history page answers (not a ping),
  on the first start after seeding (an upgrade's migrations run then) and on a restart;
- memory: the main process's RSS and the whole process tree's PSS;
- history pages with one client, p50 / p95 / max: the two ends, the middle, uniformly random
  pages, and random pages filtered by status (``finished``, ``error``, ``!finished``);
  cold (the first random pages after the restart) beside warm;
- pages per second with 8 clients on random pages, unfiltered and filtered;
- ``/api/history/live``.

The seeded history is 90% finished, 7% failed, 3% cancelled, spread over two years.
Targets: start-up < 0.7 s; RSS at the large size within 20 MB of the small one; every kind
of page p95 < 15 ms with one client; at least 500 pages/s with 8 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import sqlite3
import time
import uuid
from pathlib import Path

import aiohttp

from app.core.db import _migrations
from app.downloads.models import Item
from bench import proctree
from bench.common import ROOT, ServerProcess, percentile, rss_mb, workdir

PER_PAGE = 50
STATUSES = [("finished", 90), ("error", 7), ("cancelled", 3)]
SPREAD_NS = 2 * 365 * 24 * 3600 * 10**9
# Before this migration the benchmark seeds rows the way an older version stored them, and
# lets the server's migrations bring the database up to date, as an upgrade would.
SEED_BEFORE = 8


def seed(config: Path, count: int) -> None:
    """Writes ``count`` final items straight into a database of the previous schema."""
    config.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(config / "tubestash.db")
    for number, sql in _migrations():
        if number < SEED_BEFORE:
            db.executescript(sql)
            db.execute(f"PRAGMA user_version = {number}")
    template = json.loads(
        Item(url="https://example.com/watch?v=0", id="v0", extractor="Example").public_json()
    )
    rng = random.Random(count)
    now = time.time_ns()
    statuses = [name for name, weight in STATUSES for _ in range(weight)]
    batch = []
    for n in range(count):
        status = statuses[n % len(statuses)]
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        created = now - rng.randrange(SPREAD_NS)
        data = {
            **template,
            "_id": uid,
            "url": f"https://example.com/watch?v={n}",
            "id": f"v{n}",
            "title": f"Video {n}",
            "status": status,
            "filename": f"Video {n}.mp4",
            "file_size": 1_000_000 + n,
            "timestamp": created,
        }
        batch.append((uid, "done", status, created, "example", f"v{n}", "", json.dumps(data)))
        if len(batch) == 50_000:
            db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
            batch = []
    db.executemany("INSERT INTO items VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch)
    db.commit()
    db.close()


async def latencies(
    base: str, paths: list[str], clients: int, rounds: int
) -> tuple[list[float], float]:
    timings: list[float] = []

    async def worker(session: aiohttp.ClientSession, start: int) -> None:
        for n in range(rounds):
            begun = time.perf_counter()
            async with session.get(base + paths[(start + n) % len(paths)]) as response:
                await response.read()
                assert response.status == 200
            timings.append(time.perf_counter() - begun)

    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session, k * rounds) for k in range(clients)))
        elapsed = time.perf_counter() - started
    return timings, len(timings) / elapsed


def _ms(values: list[float]) -> str:
    ms = sorted(v * 1000 for v in values)
    return (
        f"p50 {percentile(ms, 50):5.1f}  p95 {percentile(ms, 95):5.1f}"
        f"  max {max(ms):5.1f} ms (n={len(ms)})"
    )


def _pages(server: ServerProcess, status: str | None) -> int:
    query = "" if status is None else f"&status={status}"
    first = server.get(f"/api/history?type=done&per_page={PER_PAGE}{query}")
    return max(1, int(first["pagination"]["total_pages"]))


def _random(rng: random.Random, last: int, status: str | None, count: int) -> list[str]:
    query = "" if status is None else f"&status={status}"
    return [
        f"/api/history?type=done&page={rng.randint(1, last)}&per_page={PER_PAGE}{query}"
        for _ in range(count)
    ]


def measure(work: Path, count: int, project: Path) -> None:
    data = work / f"h{count}"
    begun = time.perf_counter()
    seed(data / "config", count)
    print(f"{count:>9} items (seeded in {time.perf_counter() - begun:.1f} s)")
    first_page = f"/api/history?type=done&page=1&per_page={PER_PAGE}"
    server = ServerProcess(data, project=project)
    upgrade = server.start(timeout=900, ready=first_page)
    server.stop()
    server = ServerProcess(data, project=project)
    restart = server.start(ready=first_page)
    try:
        assert server.process is not None
        pid = server.process.pid
        rng = random.Random(1)
        last = _pages(server, None)
        cold, _ = asyncio.run(latencies(server.base_url, _random(rng, last, None, 20), 1, 20))
        print(
            f"  first history answer: {upgrade:.2f} s on the first start (migrations),"
            f" {restart:.2f} s on a restart"
        )
        kinds: dict[str, list[str]] = {
            "ends": [
                f"/api/history?type=done&page={k}&per_page={PER_PAGE}"
                for k in sorted({1, 2, 3, max(1, last - 2), max(1, last - 1), last})
            ],
            "middle": [
                f"/api/history?type=done&page={k}&per_page={PER_PAGE}"
                for k in sorted({max(1, last // 2 + d) for d in (-1, 0, 1)})
            ],
            "random": _random(rng, last, None, 300),
        }
        for status in ("finished", "error", "!finished"):
            kinds[f"status={status}"] = _random(rng, _pages(server, status), status, 300)
        print(f"  pages, 1 client, cold (first 20 random after a restart): {_ms(cold)}")
        asyncio.run(latencies(server.base_url, kinds["random"], 1, 50))  # warm up
        for kind, paths in kinds.items():
            timings, _ = asyncio.run(latencies(server.base_url, paths, 1, 300))
            print(f"  pages, 1 client, {kind:17s} {_ms(timings)}")
        for kind in ("random", "status=error", "status=!finished"):
            _, rate = asyncio.run(latencies(server.base_url, kinds[kind], 8, 150))
            print(f"  pages, 8 clients, {kind:17s} {rate:6.0f} pages/s")
        live, _ = asyncio.run(latencies(server.base_url, ["/api/history/live"], 1, 200))
        print(f"  /api/history/live: {_ms(live)}")
        print(f"  server RSS {rss_mb(pid):.1f} MB; tree {proctree.describe(pid)}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="the checkout whose server runs (a baseline)"
    )
    args = parser.parse_args()
    with workdir() as work:
        measure(work, 100, args.project)
        measure(work, args.items, args.project)


if __name__ == "__main__":
    main()
