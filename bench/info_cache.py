"""Benchmark: /api/yt-dlp/url/info cache hit vs miss, and 20 identical concurrent requests.

A miss extracts in a child process; a hit is served from memory. Twenty concurrent requests
for a URL not yet cached must cost one extraction (counted at the fixture site).
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


async def run(base: str, watch: str, rounds: int) -> tuple[list[float], list[float]]:
    path = f"{base}/api/yt-dlp/url/info?url={quote(watch, safe='')}"
    async with aiohttp.ClientSession() as session:
        misses = [await timed_get(session, path + "&force=true") for _ in range(rounds)]
        hits = [await timed_get(session, path) for _ in range(rounds)]
    return misses, hits


async def concurrent(base: str, watch: str, clients: int) -> float:
    path = f"{base}/api/yt-dlp/url/info?url={quote(watch, safe='')}"
    async with aiohttp.ClientSession() as session:
        started = time.perf_counter()
        await asyncio.gather(*(timed_get(session, path) for _ in range(clients)))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site, ServerProcess(work / "s") as server:
        misses, hits = asyncio.run(run(server.base_url, site.url("/watch/v-basic"), args.rounds))
        fresh = site.url("/watch/gen-7777")
        before = site.hits("/api/video/gen-7777")
        elapsed = asyncio.run(concurrent(server.base_url, fresh, 20))
        extractions = site.hits("/api/video/gen-7777") - before
    print(f"url/info miss (force=true): {summary_ms(misses)}")
    print(f"url/info hit:               {summary_ms(hits)}")
    print(f"20 concurrent identical requests: {elapsed * 1000:.0f} ms, {extractions} extraction(s)")


if __name__ == "__main__":
    main()
