"""Notification fan-out: 20 targets, one of them never answering, during a 50-file batch.

Target: the batch's time is within 5% of the same batch with no targets. One server
(YTP_MAX_WORKERS=4) runs batches of new files in turn without and with the targets (after
a warm-up batch), so both kinds see the same warm server; the best and median of each
count. The 19 answering targets and the silent one are local receivers in this process;
the figures also say how many notices the answering ones received.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from typing import Any

import aiohttp
from aiohttp import web

from bench.batch import _batch
from bench.common import ServerProcess, cpu_seconds, fixture_site, workdir


class Receivers:
    def __init__(self) -> None:
        self.received = 0
        self.expected = 0
        self.all_in = asyncio.Event()  # set once ``expected`` notices arrived
        self._never = asyncio.Event()

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/ok/{n}", self._ok)
        app.router.add_post("/silent", self._silent)
        return app

    async def _ok(self, request: web.Request) -> web.Response:
        await request.read()
        self.received += 1
        if self.received >= self.expected:
            self.all_in.set()
        return web.Response()

    async def _silent(self, request: web.Request) -> web.Response:
        await self._never.wait()  # never answers; the server's timeout ends each attempt
        return web.Response()


async def _targets(base: str, hooks: str) -> None:
    async with aiohttp.ClientSession() as session:
        for n in range(20):
            url = f"{hooks}/silent" if n == 0 else f"{hooks}/ok/{n}"
            body: dict[str, Any] = {"name": f"t{n}", "request": {"url": url}}
            async with session.post(f"{base}/api/notifications", json=body) as answer:
                assert answer.status == 200, await answer.text()


async def _run(args: argparse.Namespace) -> None:
    receivers = Receivers()
    runner = web.AppRunner(receivers.app(), shutdown_timeout=0.1)
    await runner.setup()
    site_ = web.TCPSite(runner, "127.0.0.1", 0)
    await site_.start()
    port = site_._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    hooks = f"http://127.0.0.1:{port}"
    times: dict[str, list[float]] = {"none": [], "20 targets": []}
    # CPU seconds during each batch: the server's, and this process's (the receivers)
    cpu: dict[str, list[tuple[float, float]]] = {"none": [], "20 targets": []}
    settle = 0.0
    try:
        with workdir() as work, fixture_site(work) as site:
            env = {"YTP_MAX_WORKERS": "4", "YTP_MAX_WORKERS_PER_EXTRACTOR": "4"}
            with ServerProcess(work / "server", **env) as server:
                next_file = 1

                assert server.process is not None
                pid = server.process.pid

                async def batch(kind: str | None = None) -> None:
                    nonlocal next_file
                    urls = [
                        site.url(f"/watch/gen-{k:04d}")
                        for k in range(next_file, next_file + args.files)
                    ]
                    next_file += args.files
                    before = cpu_seconds(pid), time.process_time()
                    seconds, _, failed = await _batch(server.base_url, urls)
                    assert failed == 0
                    if kind is not None:
                        times[kind].append(seconds)
                        after = cpu_seconds(pid), time.process_time()
                        cpu[kind].append((after[0] - before[0], after[1] - before[1]))

                await batch()  # warm-up
                for _ in range(args.rounds):
                    await batch("none")
                receivers.expected = 19 * 3 * args.files * args.rounds
                await _targets(server.base_url, hooks)
                for _ in range(args.rounds):
                    await batch("20 targets")
                # Every notice reaches the 19 answering targets, maybe after the batch.
                ended = time.perf_counter()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(receivers.all_in.wait(), 60)
                settle = time.perf_counter() - ended
    finally:
        await runner.cleanup()
    print(f"{args.files} small files, 4 at a time, {args.rounds} batches of each kind")
    for label, values in times.items():
        server_cpu = statistics.median(c[0] for c in cpu[label])
        bench_cpu = statistics.median(c[1] for c in cpu[label])
        print(
            f"  {label:11s} best {min(values):6.3f} s  median {statistics.median(values):6.3f} s"
            f"  CPU per batch (median): server {server_cpu:.3f} s, receivers {bench_cpu:.3f} s"
        )
    best = min(times["20 targets"]) / min(times["none"])
    median = statistics.median(times["20 targets"]) / statistics.median(times["none"])
    print(f"  with / without: best {best:.3f}x, median {median:.3f}x (target <= 1.05x)")
    print(
        f"  notices received by the 19 answering targets: {receivers.received}"
        f" of {19 * 3 * args.files * args.rounds}, the last {settle:.2f} s after the last batch"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
