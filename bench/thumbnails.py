"""Benchmark: /api/thumbnail miss vs hit, against fetching the image straight from its site.

A miss fetches through the guarded session and keeps the image on disk; a hit reads it back
from the disk cache. The baseline is the same image fetched directly from the fixture site
in the same run. Twenty concurrent requests for one new URL must cost one upstream fetch.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from urllib.parse import quote

import aiohttp

from bench.common import ServerProcess, fixture_site, summary_ms, workdir


async def timed_get(session: aiohttp.ClientSession, url: str) -> float:
    started = time.perf_counter()
    async with session.get(url) as response:
        await response.read()
        assert response.status == 200, response.status
    return time.perf_counter() - started


def proxied(base: str, image: str) -> str:
    return f"{base}/api/thumbnail?url={quote(image, safe='')}"


async def run(base: str, image: str, rounds: int) -> dict[str, list[float]]:
    async with aiohttp.ClientSession() as session:
        direct = [await timed_get(session, f"{image}?r={n}") for n in range(rounds)]
        misses = [await timed_get(session, proxied(base, f"{image}?r={n}")) for n in range(rounds)]
        hits = [await timed_get(session, proxied(base, f"{image}?r={n}")) for n in range(rounds)]
    return {"direct": direct, "miss": misses, "hit": hits}


async def concurrent(base: str, image: str, clients: int) -> float:
    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(timed_get(session, proxied(base, image)) for _ in range(clients)))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site, ServerProcess(work / "s") as server:
        figures = asyncio.run(run(server.base_url, site.url("/thumb/v-basic.jpg"), args.rounds))
        before = site.hits("/thumb/gen-7777.jpg")
        elapsed = asyncio.run(concurrent(server.base_url, site.url("/thumb/gen-7777.jpg"), 20))
        fetches = site.hits("/thumb/gen-7777.jpg") - before
    print(f"direct from the site (baseline): {summary_ms(figures['direct'])}")
    print(f"/api/thumbnail miss:             {summary_ms(figures['miss'])}")
    print(f"/api/thumbnail hit:              {summary_ms(figures['hit'])}")
    print(f"20 concurrent requests, one new URL: {elapsed * 1000:.0f} ms, {fetches} fetch(es)")


if __name__ == "__main__":
    main()
