"""Notification fan-out: 20 targets, one of them never answering, during a 50-file batch.

Target: the batch's time is within 5% of the same batch with no targets. One server
(YTP_MAX_WORKERS=4) runs batches of new files, alternating without and with the targets
(disabled, then enabled again) in ABBA order, after a warm-up batch; after a batch with
targets it waits until every notice has arrived, so no delivery spills into the next batch.
The best and median of each count, and the median of each round's own ratio.

The 19 answering targets and the silent one stand in for remote servers: a bare HTTP
responder in a process of their own at the lowest priority, so that their work on this
machine's 2 cores is not counted as the server's. The figures also say how many notices
they received.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import aiohttp

from bench.batch import _batch
from bench.common import ServerProcess, cpu_seconds, fixture_site, workdir


class Receivers(asyncio.Protocol):
    """A bare HTTP/1.1 responder: the targets' own CPU stands in for far hosts' and should
    cost this machine as little as it can (a few µs per request, not aiohttp's ~100)."""

    received = 0  # notices the answering targets took, over every connection

    def __init__(self) -> None:
        self._buffer = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self._transport = transport

    def data_received(self, data: bytes) -> None:
        self._buffer += data
        while (end := self._buffer.find(b"\r\n\r\n")) >= 0:
            head = self._buffer[:end].decode("latin-1").split("\r\n")
            length = 0
            for line in head[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self._buffer) < end + 4 + length:
                return
            self._buffer = self._buffer[end + 4 + length :]
            self._answer(head[0].split(" ")[1])

    def _answer(self, path: str) -> None:
        assert self._transport is not None
        if path == "/silent":
            return  # never answers; the server's timeout ends each attempt
        body = b""
        if path == "/count":
            body = str(Receivers.received).encode()
        else:
            Receivers.received += 1
        self._transport.write(
            b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
        )


def _serve_receivers(conn: Connection) -> None:
    """The receivers' process: its own session, niced with its autogroup, like a far host."""
    os.setsid()
    os.nice(19)
    autogroup = Path("/proc/self/autogroup")
    if autogroup.exists():
        autogroup.write_text("19")

    async def serve() -> None:
        server = await asyncio.get_running_loop().create_server(Receivers, "127.0.0.1", 0)
        conn.send(server.sockets[0].getsockname()[1])
        await asyncio.Event().wait()

    asyncio.run(serve())


async def _received(session: aiohttp.ClientSession, hooks: str) -> int:
    async with session.get(f"{hooks}/count") as answer:
        return int(await answer.text())


async def _all_in(hooks: str, expected: int, timeout: float = 60) -> float:
    """Waits (polling another process) until ``expected`` notices arrived; seconds waited."""
    started = time.perf_counter()
    async with aiohttp.ClientSession() as session:
        while await _received(session, hooks) < expected:
            if time.perf_counter() - started > timeout:
                break
            await asyncio.sleep(0.05)
    return time.perf_counter() - started


async def _enable(base: str, ids: list[int], enabled: bool) -> None:
    async with aiohttp.ClientSession() as session:
        for target in ids:
            url = f"{base}/api/notifications/{target}"
            async with session.patch(url, json={"enabled": enabled}) as answer:
                assert answer.status == 200, await answer.text()


async def _targets(base: str, hooks: str) -> list[int]:
    ids = []
    async with aiohttp.ClientSession() as session:
        for n in range(20):
            url = f"{hooks}/silent" if n == 0 else f"{hooks}/ok/{n}"
            body: dict[str, Any] = {"name": f"t{n}", "request": {"url": url}}
            async with session.post(f"{base}/api/notifications", json=body) as answer:
                assert answer.status == 200, await answer.text()
                ids.append(int((await answer.json())["id"]))
    return ids


async def _run(args: argparse.Namespace) -> None:
    ours, theirs = multiprocessing.get_context("spawn").Pipe()
    receivers = multiprocessing.get_context("spawn").Process(
        target=_serve_receivers, args=(theirs,), daemon=True
    )
    receivers.start()
    hooks = f"http://127.0.0.1:{ours.recv()}"
    times: dict[str, list[float]] = {"none": [], "20 targets": []}
    cpu: dict[str, list[float]] = {"none": [], "20 targets": []}  # the server's, per batch
    settle: list[float] = []
    expected = 0
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
                    before = cpu_seconds(pid)
                    done = await _batch(server.base_url, urls)
                    assert done.failed == 0
                    if kind is not None:
                        times[kind].append(done.seconds)
                        cpu[kind].append(cpu_seconds(pid) - before)

                ids = await _targets(server.base_url, hooks)
                await _enable(server.base_url, ids, False)
                await batch()  # warm-up

                async def with_targets() -> None:
                    nonlocal expected
                    await _enable(server.base_url, ids, True)
                    await batch("20 targets")
                    expected += 19 * 3 * args.files
                    # Every notice reaches the 19 answering targets, maybe after the batch.
                    settle.append(await _all_in(hooks, expected))
                    await _enable(server.base_url, ids, False)

                # ABBA order, so that a drift of the machine's speed during the run falls on
                # both kinds alike; each round's two batches make one pair.
                for round_ in range(args.rounds):
                    if round_ % 2:
                        await with_targets()
                        await batch("none")
                    else:
                        await batch("none")
                        await with_targets()
                async with aiohttp.ClientSession() as session:
                    received = await _received(session, hooks)
    finally:
        receivers.kill()
    print(f"{args.files} small files, 4 at a time, {args.rounds} batches of each kind")
    for label, values in times.items():
        print(
            f"  {label:11s} best {min(values):6.3f} s  median {statistics.median(values):6.3f} s"
            f"  server CPU per batch (median) {statistics.median(cpu[label]):.3f} s"
        )
    best = min(times["20 targets"]) / min(times["none"])
    median = statistics.median(times["20 targets"]) / statistics.median(times["none"])
    ratios = zip(times["20 targets"], times["none"], strict=True)
    pairs = statistics.median(t / n for t, n in ratios)
    print(
        f"  with / without: best {best:.3f}x, median {median:.3f}x,"
        f" median of the rounds' own ratios {pairs:.3f}x (target <= 1.05x)"
    )
    print(
        f"  notices received by the 19 answering targets: {received} of {expected},"
        f" the last at most {max(settle):.2f} s after its batch"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    asyncio.run(_run(parser.parse_args()))


if __name__ == "__main__":
    main()
