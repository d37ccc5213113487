"""Benchmark 1: one 200 MB file through Tubestash, against the yt-dlp CLI and curl.

Prints the time from ``POST /api/history`` to ``finished`` and its ratios to the CLI and
to curl (the floor). The first Tubestash run is on a fresh server (its forkserver may still
be importing yt-dlp); the others are warm. Medians beside the best, and the CPU of the
server's whole process tree per file. Targets: at most 0.55x the yt-dlp CLI; at most 1.5x
curl fresh and 1.2x warm.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from bench import proctree
from bench.common import (
    ROOT,
    ServerProcess,
    fixture_site,
    timed,
    wait_all_finished,
    workdir,
    ytdlp_command,
)

SIZE = 200 * 1024 * 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=4)
    parser.add_argument(
        "--project", type=Path, default=ROOT, help="the checkout whose server runs (a baseline)"
    )
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site:
        site.library.large_file("big.mp4", SIZE)
        url = site.url("/media/big.mp4")
        out = work / "out"
        curl, cli, ours, cpu = [], [], [], []
        with ServerProcess(work / "server", project=args.project) as server:
            assert server.process is not None
            for run in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                if run:  # the first Tubestash run is on the fresh server
                    curl.append(timed(["curl", "-s", "-o", str(out / "c.mp4"), url]))
                    cli.append(timed([*ytdlp_command(), "-o", str(out / "y.%(ext)s"), url]))
                before = proctree.cpu_seconds(server.process.pid)
                started = time.perf_counter()
                # force: history holds the same video as finished after the first run, and
                # would otherwise record a skip in no time.
                body = [{"url": url, "folder": f"run{run}", "force": True}]
                [answer] = server.post("/api/history", body)
                uid = answer["item"]["_id"]
                ended = wait_all_finished(server, {uid})
                assert server.get(f"/api/history/{uid}")["status"] == "finished"
                ours.append(ended - started)
                cpu.append(proctree.cpu_seconds(server.process.pid) - before)
        print(f"one 200 MB file, {args.runs} runs (the first on a fresh server)")
        for name, values in (("curl", curl), ("yt-dlp", cli), ("warm", ours[1:])):
            print(
                f"  {name:10s} best {min(values):6.3f} s, median {statistics.median(values):6.3f} s"
            )
        print(f"  fresh      {ours[0]:6.3f} s; tree CPU per file {statistics.median(cpu):.2f} s")
        floor = statistics.median(curl)
        print(
            f"  warm / yt-dlp CLI = {min(ours[1:]) / min(cli):.2f}x best,"
            f" {statistics.median(ours[1:]) / statistics.median(cli):.2f}x median (target <= 0.55x)"
        )
        print(
            f"  / curl: fresh {ours[0] / floor:.2f}x (target <= 1.5x), warm"
            f" {statistics.median(ours[1:]) / floor:.2f}x median,"
            f" {min(ours[1:]) / min(curl):.2f}x best (target <= 1.2x)"
        )


if __name__ == "__main__":
    main()
