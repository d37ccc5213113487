"""Benchmark 2: 50 small files in one POST with YTP_MAX_WORKERS=4, against xargs -P 4 yt-dlp.

Target: at most 0.15x the xargs run. The end of the batch is read from the server's live
socket (the last ``item_moved`` to history), as a client would: polling the queue would
spend the server's CPU on the measurement itself.

Each server is measured three times, with other files each time: "cold", the batch sent
the moment the server answers its first ping (its forkserver may still be importing
yt-dlp); "rested", on a server that has been idle long enough for its idle workers to end
(the usual case: a batch arrives at a server that has been up a while); and "busy", right
after another batch, while its workers still wait for more.

Besides the batch's time it prints what a user and an operator see: how long the POST
itself took to answer (the UI waits for it), the CPU of the server's whole process tree
(server, forkserver, workers, ffmpeg, the delivery process) per file against xargs's own
per file, and the tree's memory (PSS) idle, at its peak and after the batch: how long it
takes to come back within 10 MiB of idle. With ``--runs N`` it prints the median beside
the best; with ``--baseline <checkout>`` (e.g. a ``git archive`` of an older commit) that
checkout's servers run in turns with ours, and the ratios of the medians are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import time
from dataclasses import dataclass, replace
from pathlib import Path

import aiohttp

from bench import proctree
from bench.common import (
    PLUGIN_DIR,
    ROOT,
    FixtureSite,
    ServerProcess,
    fixture_site,
    workdir,
    ytdlp_command,
)

SETTLE_MIB = 10.0
# Longer than any version's idle workers wait (15 s before 2026-12-02, 3 s since).
REST = 16.0


@dataclass(frozen=True, slots=True)
class Batch:
    seconds: float
    answer: float  # the POST's own answer
    queued: int
    failed: int
    cpu: float  # the whole tree's


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
    parser.add_argument("--runs", type=int, default=1, help="servers, three batches each")
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout whose server runs")
    parser.add_argument(
        "--baseline", type=Path, help="another checkout whose servers run in turns with ours"
    )
    args = parser.parse_args()
    projects = {"this": args.project} | ({"baseline": args.baseline} if args.baseline else {})
    with workdir() as work, fixture_site(work) as site:
        xargs, xargs_cpu = _xargs(work, [site.url(f"/watch/gen-{n:04d}") for n in range(1, 51)])
        print(f"{args.files} small files, 4 at a time")
        print(
            f"  xargs -P 4 yt-dlp  {xargs:6.2f} s, CPU {xargs_cpu:.2f} s"
            f" ({1000 * xargs_cpu / args.files:.0f} ms per file)"
        )
        seen: dict[str, dict[str, list[Batch]]] = {name: {} for name in projects}
        turn = 0
        for run in range(args.runs):
            for name, project in projects.items():
                print(f"  {name}, server {run + 1}:")
                for label, batch in _server(work, site, project, turn, args.files, xargs).items():
                    seen[name].setdefault(label, []).append(batch)
                turn += 1
        for name in projects:
            print(f"  {name}:")
            _summary(seen[name], xargs, xargs_cpu, args.files)
        if args.baseline:
            for label in seen["this"]:
                ours = statistics.median(b.seconds for b in seen["this"][label])
                theirs = statistics.median(b.seconds for b in seen["baseline"][label])
                print(f"  {label:7s} this / baseline (medians) = {ours / theirs:.2f}x")


def _server(
    work: Path, site: FixtureSite, project: Path, turn: int, files: int, xargs: float
) -> dict[str, Batch]:
    """One server, three batches: cold, rested, busy; then its memory after the last."""
    env = {"YTP_MAX_WORKERS": "4", "YTP_MAX_WORKERS_PER_EXTRACTOR": "4"}
    done: dict[str, Batch] = {}
    with ServerProcess(work / f"server-{turn}", project=project, **env) as server:
        assert server.process is not None
        pid = server.process.pid
        idle = 0.0
        with proctree.Sampler(pid) as sampler:
            for n, label in enumerate(("cold", "rested", "busy")):
                if label == "rested":
                    time.sleep(REST)
                    idle = proctree.pss_mb(pid)
                    print(f"    idle tree: {proctree.describe(pid)}")
                first = 1000 * (turn * 3 + n) + 1
                urls = [site.url(f"/watch/gen-{k:04d}") for k in range(first, first + files)]
                cpu_before = proctree.cpu_seconds(pid)
                ours = asyncio.run(_batch(server.base_url, urls))
                ended = time.perf_counter()
                # Ended workers' CPU is counted once the forkserver reaps them.
                batch = done[label] = replace(ours, cpu=proctree.cpu_seconds(pid) - cpu_before)
                print(
                    f"    {label:7s}  {batch.seconds:6.2f} s = {batch.seconds / xargs:.2f}x;"
                    f" POST answered in {1000 * batch.answer:.0f} ms; {batch.queued} queued,"
                    f" {batch.failed} not finished; tree CPU {batch.cpu:.2f} s"
                    f" ({1000 * batch.cpu / files:.0f} ms per file)"
                )
            time.sleep(REST + 2)
        _memory_after(sampler, ended, idle)
    return done


def _xargs(work: Path, urls: list[str]) -> tuple[float, float]:
    out = work / "xargs"
    out.mkdir(exist_ok=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        ["xargs", "-P", "4", "-n", "1", *ytdlp_command(), "-o", f"{out}/%(id)s.%(ext)s"],
        input="\n".join(urls).encode(),
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(PLUGIN_DIR)},
    )
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return seconds, cpu


def _memory_after(sampler: proctree.Sampler, ended: float, idle: float) -> None:
    settled = sampler.settled(ended, idle + SETTLE_MIB)
    print(
        f"    tree PSS: idle {idle:.1f} MiB, peak {sampler.peak():.1f} MiB; after the last"
        f" batch +1 s {sampler.at(ended + 1):.1f}, +5 s {sampler.at(ended + 5):.1f},"
        f" +15 s {sampler.at(ended + 15):.1f} MiB; back within {SETTLE_MIB:.0f} MiB of idle"
        f" after {'never' if settled is None else f'{settled:.1f} s'} (target 5 s)"
    )


def _summary(seen: dict[str, list[Batch]], xargs: float, xargs_cpu: float, files: int) -> None:
    for label, batches in seen.items():
        times = [b.seconds / xargs for b in batches]
        answers = [1000 * b.answer for b in batches]
        cpu = [1000 * b.cpu / files for b in batches]
        print(
            f"  {label:7s} / xargs: best {min(times):.2f}x, median"
            f" {statistics.median(times):.2f}x (target <= 0.15x); POST answer best"
            f" {min(answers):.0f} ms, median {statistics.median(answers):.0f} ms (target"
            f" < 200 ms); tree CPU per file median {statistics.median(cpu):.0f} ms ="
            f" {statistics.median(cpu) / (1000 * xargs_cpu / files):.2f}x xargs's"
            " (target <= 40 ms)"
        )


async def _batch(base: str, urls: list[str]) -> Batch:
    """Seconds from the POST until the last item reached history, and the POST's answer."""
    async with aiohttp.ClientSession() as session, session.ws_connect(f"{base}/ws") as ws:
        ended: dict[str, str] = {}
        started = time.perf_counter()
        async with session.post(f"{base}/api/history", json=[{"url": u} for u in urls]) as answer:
            uids = {a["item"]["_id"] for a in await answer.json() if a["status"] == "queued"}
        answered = time.perf_counter() - started
        last = started
        while not uids <= set(ended):
            message = await ws.receive(timeout=120)
            frame = json.loads(message.data)
            if frame["event"] == "item_moved" and frame["data"]["data"].get("to") == "history":
                item = frame["data"]["data"]["item"]
                ended[item["_id"]] = item["status"]
                last = time.perf_counter()
        failed = sum(1 for uid in uids if ended[uid] != "finished")
        return Batch(last - started, answered, len(uids), failed, cpu=0.0)


if __name__ == "__main__":
    main()
