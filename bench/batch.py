"""Benchmark 2: 50 small files in one POST with YTP_MAX_WORKERS=4, against xargs -P 4 yt-dlp.

Target: at most 0.15x the xargs run. The end of the batch is read from the server's live
socket (the last ``item_moved`` to history), as a client would: polling the queue would
spend the server's CPU on the measurement itself.

Each server is measured three times, with other files each time: "cold", the batch sent
the moment the server answers its first ping (its forkserver may still be importing
yt-dlp); "rested", on a server that has been idle long enough for its idle workers to end
(the usual case: a batch arrives at a server that has been up a while); and "busy", right
after another batch, while its workers still wait for more.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import time

import aiohttp

from app.workers.pool import IDLE_SECONDS
from bench.common import (
    PLUGIN_DIR,
    ServerProcess,
    cpu_seconds,
    fixture_site,
    workdir,
    ytdlp_command,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1, help="Tubestash runs (the best counts)")
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site:
        urls = [site.url(f"/watch/gen-{n:04d}") for n in range(1, args.files + 1)]
        out = work / "xargs"
        out.mkdir()
        started = time.perf_counter()
        subprocess.run(
            ["xargs", "-P", "4", "-n", "1", *ytdlp_command(), "-o", f"{out}/%(id)s.%(ext)s"],
            input="\n".join(urls).encode(),
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(PLUGIN_DIR)},
        )
        xargs = time.perf_counter() - started
        print(f"{args.files} small files, 4 at a time")
        print(f"  xargs -P 4 yt-dlp  {xargs:6.2f} s")
        env = {"YTP_MAX_WORKERS": "4", "YTP_MAX_WORKERS_PER_EXTRACTOR": "4"}
        best: dict[str, float] = {}
        for run in range(args.runs):
            with ServerProcess(work / f"server-{run}", **env) as server:
                assert server.process is not None
                for n, label in enumerate(("cold", "rested", "busy")):
                    if label == "rested":
                        time.sleep(IDLE_SECONDS + 1)
                    first = 1000 * (run * 3 + n) + 1
                    batch = [
                        site.url(f"/watch/gen-{k:04d}") for k in range(first, first + args.files)
                    ]
                    cpu_before = cpu_seconds(server.process.pid)
                    ours, queued, failed = asyncio.run(_batch(server.base_url, batch))
                    cpu = cpu_seconds(server.process.pid) - cpu_before
                    best[label] = min(best.get(label, ours), ours)
                    print(
                        f"  tubestash {label:7s}  {ours:6.2f} s = {ours / xargs:.2f}x ({queued}"
                        f" queued, {failed} not finished; server process CPU {cpu:.2f} s)"
                    )
        for label, seconds in best.items():
            print(f"  best {label:7s} / xargs = {seconds / xargs:.2f}x (target <= 0.15x)")


async def _batch(base: str, urls: list[str]) -> tuple[float, int, int]:
    """Seconds from the POST until the last item reached history; queued; not finished."""
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{base}/ws") as ws:
        ended: dict[str, str] = {}
        started = time.perf_counter()
        async with session.post(f"{base}/api/history", json=[{"url": u} for u in urls]) as answer:
            uids = {a["item"]["_id"] for a in await answer.json() if a["status"] == "queued"}
        last = started
        while not uids <= set(ended):
            message = await ws.receive(timeout=120)
            frame = json.loads(message.data)
            if frame["event"] == "item_moved" and frame["data"]["data"].get("to") == "history":
                item = frame["data"]["data"]["item"]
                ended[item["_id"]] = item["status"]
                last = time.perf_counter()
        failed = sum(1 for uid in uids if ended[uid] != "finished")
        return last - started, len(uids), failed


if __name__ == "__main__":
    main()
