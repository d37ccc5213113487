"""yt-dlp-host under polling: 200 clients each poll ``/status`` once a second while 50 tasks
run, against the same batch through the native API.

Targets: p95 status latency under 10 ms; the yt-dlp-host batch within 10% of the native one
(1.10x). Each batch is 50 small files sent as 50 concurrent requests (one task, or one
``POST /api/history`` with the options a task runs, per file, as those clients send them),
on one server with ``YTP_MAX_WORKERS=4``; its end is the last item moved to history, read
from ``/ws`` for both. Four clients poll each task from the moment it is made, each from a
random moment in its first second. Batches alternate (native, yt-dlp-host, ...) after a
warm-up, with other files each time; the best of each kind counts. The pollers run in this
process, so their latency includes its own event loop: an upper bound of the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import time
from collections.abc import Awaitable, Callable

import aiohttp

from bench.common import ServerProcess, fixture_site, percentile, summary_ms, workdir

ADMIN_KEY = "bench-admin-key-0123456789abcdef"
HEADERS = {"X-API-Key": ADMIN_KEY}
OnTask = Callable[[str], None]
Submit = Callable[[aiohttp.ClientSession, str, list[str], OnTask], Awaitable[list[str]]]


# What a get_video task with the default formats runs, so both batches run the same yt-dlp.
SAME_OPTIONS = '-f "bestvideo+bestaudio/best" --merge-output-format mp4 --remux-video mp4'


async def native(
    session: aiohttp.ClientSession, base: str, urls: list[str], on_task: OnTask
) -> list[str]:
    async def one(url: str) -> str:
        body = {"url": url, "cli": SAME_OPTIONS}
        async with session.post(f"{base}/api/history", json=body) as answer:
            [result] = await answer.json()
            return str(result["item"]["_id"])

    return list(await asyncio.gather(*(one(url) for url in urls)))


async def ytdlp_host(
    session: aiohttp.ClientSession, base: str, urls: list[str], on_task: OnTask
) -> list[str]:
    async def one(url: str) -> str:
        body = {"url": url, "output_format": "mp4"}
        async with session.post(f"{base}/get_video", json=body, headers=HEADERS) as answer:
            assert answer.status == 200, await answer.text()
            task_id = str((await answer.json())["task_id"])
        on_task(task_id)  # its clients start polling now, as the PyPI client does
        return task_id

    return list(await asyncio.gather(*(one(url) for url in urls)))


class Pollers:
    """``per_task`` clients per task, each polling ``/status`` once a second (the PyPI
    client's pace) from a random moment in its first second, as independent clients do."""

    def __init__(self, session: aiohttp.ClientSession, base: str, per_task: int) -> None:
        self._session = session
        self._base = base
        self._per_task = per_task
        self.stop = asyncio.Event()
        self.latencies: list[float] = []
        self._tasks: list[asyncio.Task[None]] = []

    def start(self, task_id: str) -> None:
        for _ in range(self._per_task):
            self._tasks.append(asyncio.create_task(self._poll(task_id)))

    async def close(self) -> None:
        self.stop.set()
        await asyncio.gather(*self._tasks)

    async def _poll(self, task_id: str) -> None:
        loop = asyncio.get_running_loop()
        await self._pause(random.random())
        while not self.stop.is_set():
            started = loop.time()
            url = f"{self._base}/status/{task_id}"
            async with self._session.get(url, headers=HEADERS) as answer:
                await answer.read()
                assert answer.status == 200
            self.latencies.append(loop.time() - started)
            await self._pause(1.0 - (loop.time() - started))

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), max(0.0, seconds))


async def batch(
    base: str, urls: list[str], submit: Submit, pollers: int
) -> tuple[float, int, list[float]]:
    """Seconds from the first request until the last item reached history; failures;
    the status latencies seen meanwhile."""
    connector = aiohttp.TCPConnector(limit=0)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.ws_connect(f"{base}/ws") as ws,
    ):
        ended: dict[str, str] = {}
        clients = Pollers(session, base, max(1, pollers // len(urls)) if pollers else 0)
        started = time.perf_counter()
        ids = await submit(session, base, urls, clients.start)
        folders: dict[str, str] = {}  # item folder -> item id, from item_added

        def wanted() -> set[str] | None:
            if submit is native:
                return set(ids)
            found = {folders.get(f"ytdlp-host/{task_id}") for task_id in ids}
            return None if None in found else {uid for uid in found if uid}

        last = started
        while (items := wanted()) is None or not items <= set(ended):
            message = await ws.receive(timeout=300)
            frame = json.loads(message.data)
            payload = frame["data"]["data"]
            if frame["event"] == "item_added":
                folders[payload["folder"]] = payload["_id"]
            if frame["event"] == "item_moved" and payload.get("to") == "history":
                ended[payload["item"]["_id"]] = payload["item"]["status"]
                last = time.perf_counter()
        await clients.close()
        failed = sum(1 for uid in items if ended[uid] != "finished")
        return last - started, failed, clients.latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--pollers", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    env = {
        "YTP_MAX_WORKERS": "4",
        "YTP_MAX_WORKERS_PER_EXTRACTOR": "4",
        "YTP_ADMIN_KEY": ADMIN_KEY,
        "YTP_KEY_RATE_LIMIT": "100000",
        # Tasks of one round must not be cleaned up under the next one's feet.
        "YTP_TASK_CLEANUP_TIME": "600",
    }
    with workdir() as work, fixture_site(work) as site, ServerProcess(work / "s", **env) as server:
        counter = iter(range(1, 1_000_000))

        def urls() -> list[str]:
            return [site.url(f"/watch/gen-{next(counter):04d}") for _ in range(args.files)]

        base = server.base_url
        asyncio.run(batch(base, urls(), native, 0))  # warm-up: workers forked, yt-dlp loaded
        best: dict[str, float] = {}
        all_latencies: list[float] = []
        print(f"{args.files} small files as {args.files} requests, 4 at a time")
        for _ in range(args.rounds):
            for label, submit in (("native", native), ("yt-dlp-host", ytdlp_host)):
                seconds, failed, latencies = asyncio.run(batch(base, urls(), submit, args.pollers))
                best[label] = min(best.get(label, seconds), seconds)
                all_latencies += latencies
                extra = f"; /status {summary_ms(latencies)}" if latencies else ""
                print(f"  {label:12s} {seconds:6.2f} s ({failed} failed){extra}")
        ratio = best["yt-dlp-host"] / best["native"]
        p95 = percentile(all_latencies, 95) * 1000
        print(f"  best native {best['native']:.2f} s, best yt-dlp-host {best['yt-dlp-host']:.2f} s")
        print(f"  yt-dlp-host / native = {ratio:.2f}x (target <= 1.10x)")
        print(f"  /status p95 over every poll = {p95:.1f} ms (target < 10 ms)")


if __name__ == "__main__":
    main()
