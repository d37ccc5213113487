"""yt-dlp-host under polling: 200 clients each poll ``/status`` once a second while 50 tasks
run, against the same batch through the native API.

Targets: p95 status latency under 10 ms; the yt-dlp-host batch within 10% of the native one
(1.10x). Each batch is 50 small files sent as 50 concurrent requests (one task, or one
``POST /api/history`` with the options a task runs, per file, as those clients send them),
on one server with ``YTP_MAX_WORKERS=4``; its end is the last item moved to history, read
from ``/ws`` for both. Four clients poll each task from the moment it is made, each from a
random moment in its first second. Batches alternate after a warm-up, with other files each
time; the best of each kind counts.

Where the pollers run: in ``--poller-processes`` processes of their own (2 by default, 100
clients each, timing each request with ``time.perf_counter`` there), so that this
process's own work (50 task creations, the ``/ws`` frames) does not count as the server's
latency. Each round also runs one yt-dlp-host batch with the pollers in this process, as
before 2026-12-02 evening, for comparison (``in-process`` below: an upper bound).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import multiprocessing
import os
import random
import time
from collections.abc import Awaitable, Callable
from multiprocessing.connection import Connection
from pathlib import Path

import aiohttp

from bench.common import (
    PLUGIN_DIR,
    ROOT,
    ServerProcess,
    fixture_site,
    percentile,
    summary_ms,
    workdir,
)

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

    def __init__(
        self,
        session: aiohttp.ClientSession,
        base: str,
        per_task: int,
        clock: Callable[[], float] | None = None,
    ) -> None:
        self._clock = clock or asyncio.get_running_loop().time
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
        clock = self._clock
        await self._pause(random.random())
        while not self.stop.is_set():
            started = clock()
            url = f"{self._base}/status/{task_id}"
            async with self._session.get(url, headers=HEADERS) as answer:
                await answer.read()
                assert answer.status == 200
            self.latencies.append(clock() - started)
            await self._pause(1.0 - (clock() - started))

    async def _pause(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.stop.wait(), max(0.0, seconds))


class RemotePollers:
    """The same clients, spread over processes of their own: task ids go to them over a
    pipe, each process answers with its latencies when told to stop."""

    def __init__(self, base: str, per_task: int, processes: int) -> None:
        ctx = multiprocessing.get_context("spawn")
        self._conns: list[Connection] = []
        self._procs = []
        shares = [per_task // processes + (i < per_task % processes) for i in range(processes)]
        for share in shares:
            ours, theirs = ctx.Pipe()
            proc = ctx.Process(target=_poller_process, args=(theirs, base, share), daemon=True)
            proc.start()
            self._conns.append(ours)
            self._procs.append(proc)
        for conn in self._conns:
            assert conn.recv() == "ready"
        self.latencies: list[float] = []

    def start(self, task_id: str) -> None:
        for conn in self._conns:
            conn.send(task_id)

    async def close(self) -> None:
        for conn in self._conns:
            conn.send(None)
        for conn, proc in zip(self._conns, self._procs, strict=True):
            self.latencies += await asyncio.to_thread(conn.recv)
            await asyncio.to_thread(proc.join)


def _poller_process(conn: Connection, base: str, per_task: int) -> None:
    asyncio.run(_poll_from(conn, base, per_task))


async def _poll_from(conn: Connection, base: str, per_task: int) -> None:
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        clients = Pollers(session, base, per_task, clock=time.perf_counter)
        ended = asyncio.Event()

        def readable() -> None:
            while conn.poll():
                task_id = conn.recv()
                if task_id is None:
                    ended.set()
                    loop.remove_reader(conn.fileno())
                    return
                clients.start(task_id)

        loop.add_reader(conn.fileno(), readable)
        conn.send("ready")
        await ended.wait()
        await clients.close()
    conn.send(clients.latencies)


async def batch(
    base: str, urls: list[str], submit: Submit, pollers: int, processes: int = 0
) -> tuple[float, int, list[float]]:
    """Seconds from the first request until the last item reached history; failures;
    the status latencies seen meanwhile (by ``processes`` poller processes, or by this
    one's event loop when 0)."""
    connector = aiohttp.TCPConnector(limit=0)
    async with (
        aiohttp.ClientSession(connector=connector) as session,
        session.ws_connect(f"{base}/ws") as ws,
    ):
        ended: dict[str, str] = {}
        per_task = max(1, pollers // len(urls)) if pollers else 0
        clients: Pollers | RemotePollers
        if processes and per_task:
            clients = await asyncio.to_thread(RemotePollers, base, per_task, processes)
        else:
            clients = Pollers(session, base, per_task)
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
    parser.add_argument("--poller-processes", type=int, default=2)
    parser.add_argument(
        "--project",
        metavar="DIR",
        help="run another checkout's server (a baseline: git archive <commit> | tar -x)",
    )
    parser.add_argument(
        "--stalls",
        metavar="FILE",
        help="append the server's event-loop callbacks over 10 ms to FILE (bench/stalls)",
    )
    args = parser.parse_args()
    env = {
        "YTP_MAX_WORKERS": "4",
        "YTP_MAX_WORKERS_PER_EXTRACTOR": "4",
        "YTP_ADMIN_KEY": ADMIN_KEY,
        "YTP_KEY_RATE_LIMIT": "100000",
        # Tasks of one round must not be cleaned up under the next one's feet.
        "YTP_TASK_CLEANUP_TIME": "600",
    }
    if args.stalls:
        here = Path(__file__).resolve().parent
        paths = [str(PLUGIN_DIR), args.project or str(here.parent), str(here / "stalls")]
        env["PYTHONPATH"] = os.pathsep.join(paths)
        env["YTP_BENCH_STALLS"] = str(Path(args.stalls).resolve())
    with (
        workdir() as work,
        fixture_site(work) as site,
        ServerProcess(work / "s", project=args.project or ROOT, **env) as server,
    ):
        counter = iter(range(1, 1_000_000))

        def urls() -> list[str]:
            return [site.url(f"/watch/gen-{next(counter):04d}") for _ in range(args.files)]

        base = server.base_url
        asyncio.run(batch(base, urls(), native, 0))  # warm-up: workers forked, yt-dlp loaded
        best: dict[str, float] = {}
        latencies_of: dict[str, list[float]] = {}
        remote = f"yt-dlp-host, pollers in {args.poller_processes} processes"
        kinds = (
            ("native", native, 0),
            (remote, ytdlp_host, args.poller_processes),
            ("yt-dlp-host, pollers in-process", ytdlp_host, 0),
        )
        print(f"{args.files} small files as {args.files} requests, 4 at a time")
        for _ in range(args.rounds):
            for label, submit, processes in kinds:
                seconds, failed, latencies = asyncio.run(
                    batch(base, urls(), submit, args.pollers, processes)
                )
                best[label] = min(best.get(label, seconds), seconds)
                latencies_of.setdefault(label, []).extend(latencies)
                extra = f"; /status {summary_ms(latencies)}" if latencies else ""
                print(f"  {label:34s} {seconds:6.2f} s ({failed} failed){extra}")
        print(f"  best native {best['native']:.2f} s")
        for label, _, _ in kinds[1:]:
            ratio = best[label] / best["native"]
            p95 = percentile(latencies_of[label], 95) * 1000
            print(
                f"  {label}: best {best[label]:.2f} s, {ratio:.2f}x native (target <= 1.10x);"
                f" /status over every poll {summary_ms(latencies_of[label])}"
                f" -> p95 {p95:.1f} ms (target < 10 ms)"
            )


if __name__ == "__main__":
    main()
