"""Benchmark 1: one 200 MB file through Tubestash, against the yt-dlp CLI and curl.

Prints the time from ``POST /api/history`` to ``finished`` and the ratio to the CLI.
Target: at most 0.55x the yt-dlp CLI.
"""

from __future__ import annotations

import argparse
import shutil
import time

from bench.common import (
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
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site:
        site.library.large_file("big.mp4", SIZE)
        url = site.url("/media/big.mp4")
        out = work / "out"
        curl, cli, ours = [], [], []
        with ServerProcess(work / "server") as server:
            for run in range(args.runs):
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                curl.append(timed(["curl", "-s", "-o", str(out / "c.mp4"), url]))
                cli.append(timed([*ytdlp_command(), "-o", str(out / "y.%(ext)s"), url]))
                started = time.perf_counter()
                [answer] = server.post("/api/history", [{"url": url, "folder": f"run{run}"}])
                ended = wait_all_finished(server, {answer["item"]["_id"]})
                ours.append(ended - started)
        best = {
            name: min(values)
            for name, values in (("curl", curl), ("yt-dlp", cli), ("tubestash", ours))
        }
        print(f"one 200 MB file, best of {args.runs} runs")
        for name, value in best.items():
            print(f"  {name:10s} {value:6.3f} s")
        ratio = best["tubestash"] / best["yt-dlp"]
        print(f"  tubestash / yt-dlp CLI = {ratio:.2f}x (target <= 0.55x)")


if __name__ == "__main__":
    main()
