"""Benchmark: the library at 100,000 videos.

Seeds 100,000 finished history items (varied titles, descriptions, channels, tags) into a
database the library has never seen, starts the server, and measures:

- indexing the existing history in the background: the time until ``/api/library/index``
  says it is done, and ping latency meanwhile (the API answers during it);
- FTS search p95 (``/api/library/search``: words, prefixes, a typo) with 1 client;
- ``GET /api/video/?page=K`` on the TubeArchivist layer's port: p95 with 1 client and
  pages/s with 8;
- the server's RSS with the 100,000-video library against an empty library (the baseline,
  same run, same measurements).

Targets: search and page p95 < 20 ms; >= 300 pages/s with 8 clients; RSS within 30 MB of
the empty library; indexing < 60 s, in the background.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sqlite3
import time
from pathlib import Path

import aiohttp
import requests

from app.downloads.models import Extras, Item, Status
from bench.common import ServerProcess, rss_mb, summary_ms, workdir
from tests.server_process import free_port

TOPIC_WORDS = (
    "alpine lake sunrise drone footage review unboxing tutorial python guitar lesson cooking "
    "pasta recipe history documentary space rocket launch interview podcast gaming speedrun "
    "minecraft chess opening travel japan tokyo street food music live concert orchestra "
    "lecture physics math calculus woodworking garden harvest"
)
TOPICS = TOPIC_WORDS.split()
SYLLABLE_TEXT = "ka lo mi ne ru sa ti vo be da fe gi ho ju ko la me ni po qu"
SYLLABLES = SYLLABLE_TEXT.split()
# 8,000 made-up words drawn with Zipf's law, as words are in real titles and descriptions.
FILLER = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES]
ZIPF = [1 / (rank + 1) for rank in range(len(FILLER))]
# Topic words (each in ~7% of the videos), two-word queries, prefixes, a middling made-up
# word and a typo. The most common made-up words are in most videos, like "the": a search
# for one ranks tens of thousands of matches and is reported apart.
QUERIES = ["guitar", "rocket launch", "tok", "document", "chess open", FILLER[100], "gitar"]
COMMON = FILLER[1]


def _text(rng: random.Random, topics: int, filler: int) -> str:
    words = rng.choices(FILLER, ZIPF, k=filler) + [rng.choice(TOPICS) for _ in range(topics)]
    rng.shuffle(words)
    return " ".join(words)


def seed(config: Path, count: int) -> None:
    """``count`` finished items straight into a migrated database (no library rows yet)."""
    config.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(config / "tubestash.db")
    from app.core.db import _migrations

    for number, sql in _migrations():
        db.executescript(sql)
        db.execute(f"PRAGMA user_version = {number}")
    rng = random.Random(7)
    base = time.time_ns()
    rows = []
    for n in range(count):
        item = Item(
            url=f"https://example.com/watch?v={n}",
            id=f"v{n}",
            extractor="Example",
            title=f"{_text(rng, 1, 3)} {n}",
            description=_text(rng, 2, 30),
            status=Status.FINISHED,
            filename=f"videos/v{n}.mp4",
            file_size=1_000_000 + n,
            timestamp=base + n,
            percent=100.0,
            extras=Extras(channel=f"Channel {n % 500}", duration=60.0 + n % 600),
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
    base: str, paths: list[str], clients: int, rounds: int, headers: dict[str, str] | None = None
) -> tuple[list[float], float]:
    timings: list[float] = []

    async def worker(session: aiohttp.ClientSession, offset: int) -> None:
        for n in range(rounds):
            started = time.perf_counter()
            async with session.get(base + paths[(n + offset) % len(paths)]) as response:
                await response.read()
                assert response.status == 200, (response.status, await response.text())
            timings.append(time.perf_counter() - started)

    async with aiohttp.ClientSession(headers=headers) as session:
        started = time.perf_counter()
        await asyncio.gather(*(worker(session, k * 7) for k in range(clients)))
        elapsed = time.perf_counter() - started
    return timings, len(timings) / elapsed


def wait_indexed(server: ServerProcess, timeout: float = 600) -> tuple[float, list[float]]:
    """Seconds from now until the library says history is indexed; pings meanwhile."""
    started = time.perf_counter()
    pings: list[float] = []
    while time.perf_counter() - started < timeout:
        status = server.get("/api/library/index")
        if status["indexed"] and not status["running"]:
            return time.perf_counter() - started, pings
        ping_start = time.perf_counter()
        requests.get(server.base_url + "/api/ping", timeout=10).raise_for_status()
        pings.append(time.perf_counter() - ping_start)
        time.sleep(0.05)  # another process: nothing to await, poll gently
    raise TimeoutError("indexing did not end")


def measure(work: Path, count: int) -> None:
    data = work / f"lib{count}"
    seed(data / "config", count)
    ta_port = free_port()
    server = ServerProcess(data, YTP_TUBEARCHIVIST_PORT=str(ta_port))
    startup = server.start()
    try:
        assert server.process is not None
        pid = server.process.pid
        indexing, pings = wait_indexed(server)
        total = server.get("/api/library/videos?per_page=1")["pagination"]["total"]
        token = requests.post(
            f"http://127.0.0.1:{ta_port}/api/login/", json={"username": "u", "password": "p"}
        ).json()["token"]
        headers = {"Authorization": f"Token {token}"}
        ta = f"http://127.0.0.1:{ta_port}"
        # The layer's own last page: as TubeArchivist's, it stops at 10,000 hits (833).
        first = requests.get(f"{ta}/api/video/", headers=headers, timeout=30).json()
        last = int(first["paginate"]["last_page"])
        chosen = sorted({k for k in (1, 2, 3, last // 2, last - 1, last) if 1 <= k <= last})
        pages = [f"/api/video/?page={k}" for k in chosen]
        searches = [f"/api/library/search?q={q}" for q in QUERIES]
        asyncio.run(latencies(ta, pages, 1, 30, headers))  # warm up
        one, _ = asyncio.run(latencies(ta, pages, 1, 300, headers))
        _, rate = asyncio.run(latencies(ta, pages, 8, 100, headers))
        found = asyncio.run(latencies(server.base_url, searches, 1, 140))[0] if total else []
        print(f"{count:>7} history items -> {total} library videos; start-up {startup:.2f} s")
        print(f"          indexing in the background: {indexing:.1f} s")
        if pings:
            print(f"          /api/ping while indexing: {summary_ms(pings)}")
        print(f"          RSS after indexing: {rss_mb(pid):.1f} MB")
        print(f"          /api/video/?page=K, 1 client: {summary_ms(one)}")
        print(f"          /api/video/?page=K, 8 clients: {rate:.0f} pages/s")
        if found:
            print(f"          /api/library/search, 1 client: {summary_ms(found)}")
            common = [f"/api/library/search?q={COMMON}"]
            found = asyncio.run(latencies(server.base_url, common, 1, 20))[0]
            print(f"          /api/library/search?q={COMMON} (in most videos): {summary_ms(found)}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    args = parser.parse_args()
    with workdir() as work:
        measure(work, 0)  # the baseline: an empty library
        measure(work, args.items)


if __name__ == "__main__":
    main()
