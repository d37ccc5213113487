"""Live-event fan-out: 100 /ws clients watching 4 real downloads.

Starts the fixture site and the real server (``python main.py`` in a temporary folder),
connects the clients, runs the downloads twice (all clients reading; then with one client
that never reads) and prints the server's CPU time and how long events took from
publication (their envelope's ``created_at``) to the slowest reading client.

Run from the repository root: ``.venv/bin/python bench/ws_fanout.py``. Target: p95 and max
under 250 ms, and no difference when one client stops reading.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.common import cpu_seconds  # noqa: E402
from tests.fixtures.media import MediaLibrary  # noqa: E402
from tests.fixtures.pytest_plugin import PLUGIN_DIR  # noqa: E402
from tests.fixtures.site import FixtureSite  # noqa: E402

TARGET_MS = 250.0


@dataclass
class Reader:
    """One client that reads everything and notes when each event arrived."""

    ws: aiohttp.ClientWebSocketResponse
    arrivals: dict[str, float] = field(default_factory=dict)
    created: dict[str, float] = field(default_factory=dict)
    moved: set[str] = field(default_factory=set)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    async def run(self) -> None:
        async for message in self.ws:
            if message.type is not aiohttp.WSMsgType.TEXT:
                break
            now = time.time()
            frame = json.loads(message.data)
            envelope = frame["data"]
            if frame["event"] == "connected":
                continue
            self.arrivals[envelope["id"]] = now
            self.created[envelope["id"]] = datetime.fromisoformat(
                envelope["created_at"]
            ).timestamp()
            if frame["event"] == "item_moved":
                self.moved.add(envelope["data"]["item"]["url"])
                self.changed.set()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(folder: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "YTP_HOST": "127.0.0.1",
        "YTP_PORT": str(port),
        "YTP_CONFIG_PATH": str(folder / "config"),
        "YTP_DOWNLOAD_PATH": str(folder / "downloads"),
        "YTP_TEMP_PATH": str(folder / "tmp"),
        "YTP_MAX_WORKERS": str(workers),
        "YTP_MAX_WORKERS_PER_EXTRACTOR": str(workers),
        "YTP_LOG_LEVEL": "WARNING",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(PLUGIN_DIR)]),
    }
    return subprocess.Popen([sys.executable, str(ROOT / "main.py")], cwd=folder, env=env)


async def wait_ready(session: aiohttp.ClientSession, base: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            async with session.get(f"{base}/api/ping") as response:
                if response.status == 200:
                    return
        except aiohttp.ClientConnectionError:
            pass
        await asyncio.sleep(0.2)  # polling a process that is starting: nothing to await
    raise RuntimeError("the server did not start")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run_phase(
    session: aiohttp.ClientSession,
    base: str,
    pid: int,
    *,
    clients: int,
    stalled: bool,
    urls: list[str],
) -> dict[str, Any]:
    readers = [Reader(await session.ws_connect(f"{base}/ws")) for _ in range(clients - stalled)]
    silent = await session.ws_connect(f"{base}/ws") if stalled else None
    tasks = [asyncio.create_task(reader.run()) for reader in readers]
    cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
    for url in urls:  # one by one: a batch add is not what this measures
        async with session.post(f"{base}/api/history", json={"url": url}) as response:
            [result] = await response.json()
            assert result["status"] == "queued", result
    watcher = readers[0]
    while not set(urls) <= watcher.moved:
        watcher.changed.clear()
        await asyncio.wait_for(watcher.changed.wait(), 120)
    # The last events (the final item_updated) follow the move; let them reach everyone.
    await asyncio.sleep(1.0)
    cpu, wall = cpu_seconds(pid) - cpu_before, time.monotonic() - wall_before
    common = set.intersection(*(set(r.arrivals) for r in readers))
    delays = [
        (max(r.arrivals[eid] for r in readers) - watcher.created[eid]) * 1000 for eid in common
    ]
    silent_state = "none"
    if silent is not None:
        pending = 0
        with_close = False
        while True:
            try:
                message = await silent.receive(timeout=1.0)
            except TimeoutError:
                break
            if message.type is not aiohttp.WSMsgType.TEXT:
                with_close = True
                break
            pending += 1
        silent_state = f"{pending} frames waited for it; " + (
            "the server dropped it" if with_close else "still connected"
        )
        await silent.close()
    for reader in readers:
        await reader.ws.close()
    await asyncio.gather(*tasks)
    return {
        "events": len(common),
        "cpu": cpu,
        "wall": wall,
        "p50": statistics.median(delays),
        "p95": percentile(delays, 0.95),
        "max": max(delays),
        "silent": silent_state,
    }


def report(name: str, result: dict[str, Any]) -> None:
    print(f"\n{name}")
    print(f"  events delivered to every reader: {result['events']}")
    print(
        f"  server CPU: {result['cpu']:.2f} s over {result['wall']:.1f} s "
        f"({100 * result['cpu'] / result['wall']:.1f} % of one core)"
    )
    verdict = "ok" if result["max"] < TARGET_MS else f"OVER the {TARGET_MS:.0f} ms target"
    print(
        f"  publication -> slowest reader: p50 {result['p50']:.1f} ms, "
        f"p95 {result['p95']:.1f} ms, max {result['max']:.1f} ms ({verdict})"
    )
    if result["silent"] != "none":
        print(f"  non-reading client: {result['silent']}")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--downloads", type=int, default=4)
    parser.add_argument("--rate", type=int, default=30_000, help="bytes/s per download")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tubestash-bench-") as tmp:
        folder = Path(tmp)
        library = MediaLibrary(folder / "media").ensure()
        with FixtureSite(library) as site:
            port = free_port()
            server = start_server(folder, port, args.downloads)
            base = f"http://127.0.0.1:{port}"
            try:
                # No connection limit: the default (100) would leave no room beside the sockets.
                connector = aiohttp.TCPConnector(limit=0)
                async with aiohttp.ClientSession(connector=connector) as session:
                    await wait_ready(session, base)

                    def urls(first: int) -> list[str]:
                        return [
                            site.url(f"/watch/gen-{first + n:04d}?rate={args.rate}")
                            for n in range(args.downloads)
                        ]

                    print(
                        f"{args.clients} clients, {args.downloads} downloads of ~150 KB "
                        f"at {args.rate} B/s each"
                    )
                    reading = await run_phase(
                        session,
                        base,
                        server.pid,
                        clients=args.clients,
                        stalled=False,
                        urls=urls(1),
                    )
                    report("all clients reading", reading)
                    one_stalled = await run_phase(
                        session,
                        base,
                        server.pid,
                        clients=args.clients,
                        stalled=True,
                        urls=urls(1 + args.downloads),
                    )
                    report("one client never reads", one_stalled)
                    change = one_stalled["p95"] - reading["p95"]
                    print(f"\nnon-reading client's effect on p95: {change:+.1f} ms")
            finally:
                server.terminate()
                server.wait(30)


if __name__ == "__main__":
    asyncio.run(main())
