"""Benchmark: the file browser over a folder of 100,000 files.

Prints, against the real server over HTTP: the cold (first) listing, then the first page's
p50/p95 sorted by name and by date (both orders), and random pages. The baseline, in the
same run: what a listing without the cache costs per request (scandir, a stat per entry,
a sort, one page), measured in this process on the same folder.
Target: first page p95 < 100 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from pathlib import Path

import aiohttp

from bench.common import ServerProcess, summary_ms, workdir

EXTENSIONS = (".mp4", ".mkv", ".en.vtt", ".info.json", ".jpg", ".nfo")


def make_folder(folder: Path, count: int) -> float:
    started = time.perf_counter()
    folder.mkdir(parents=True)
    rng = random.Random(0)
    for n in range(count):
        path = folder / f"Video {n:06d} [{rng.getrandbits(40):010x}]{EXTENSIONS[n % 6]}"
        with path.open("wb") as out:
            out.write(b"x" * rng.randrange(0, 64))
        stamp = 1_600_000_000 + rng.randrange(0, 100_000_000)
        os.utime(path, (stamp, stamp))
    old = time.time() - 60  # an old folder, as a real one of this size is
    os.utime(folder, (old, old))
    return time.perf_counter() - started


def uncached_page(folder: Path, key: str) -> float:
    """One request's work without the cache: scan, stat, sort, slice a page."""
    started = time.perf_counter()
    entries = []
    with os.scandir(folder) as found:
        for item in found:
            st = item.stat()
            entries.append((item.name.casefold(), st.st_mtime, st.st_size, item.name))
    index = 0 if key == "name" else 1
    entries.sort(key=lambda e: e[index])
    _page = entries[:50]
    return time.perf_counter() - started


async def timings(base: str, paths: list[str]) -> list[float]:
    found = []
    async with aiohttp.ClientSession() as session:
        for path in paths:
            started = time.perf_counter()
            async with session.get(base + path) as response:
                await response.read()
                assert response.status == 200, await response.text()
            found.append(time.perf_counter() - started)
    return found


async def run(count: int, rounds: int) -> None:
    with workdir() as data:
        folder = data / "downloads" / "big"
        made = make_folder(folder, count)
        print(f"made {count:,} files in {made:.1f} s")
        baseline = {key: [uncached_page(folder, key) for _ in range(5)] for key in ("name", "date")}
        with ServerProcess(data) as server:
            base = server.base_url + "/api/file/browser/big"
            [cold] = await timings(base, ["?page=1&per_page=50&sort_by=name&sort_order=asc"])
            print(f"cold: first listing (scan + sort by name) {cold * 1000:.0f} ms")
            for key in ("name", "date"):
                first = await timings(base, [f"?page=1&per_page=50&sort_by={key}"])
                orders = [
                    f"?page=1&per_page=50&sort_by={key}&sort_order={o}" for o in ("asc", "desc")
                ]
                warm = await timings(base, orders * (rounds // 2))
                uncached = statistics.median(baseline[key]) * 1000
                print(
                    f"sort by {key}: first request {first[0] * 1000:.0f} ms; first page "
                    f"{summary_ms(warm)}; without the cache (baseline) p50 {uncached:.0f} ms"
                )
            rng = random.Random(1)
            keys = ("name", "date", "size", "type")
            await timings(base, [f"?sort_by={key}" for key in keys])  # each sort made once
            pages = [
                f"?page={rng.randrange(1, count // 50)}&per_page=50&sort_by={rng.choice(keys)}"
                for _ in range(rounds)
            ]
            print(f"random pages, any sort: {summary_ms(await timings(base, pages))}")
            search = await timings(base, ["?search=000123&per_page=50"] * rounds)
            print(f"search (a substring, any case): {summary_ms(search)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    asyncio.run(run(args.files, args.rounds))


if __name__ == "__main__":
    main()
