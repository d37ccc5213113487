"""A task over a 5,000-entry playlist with 4,990 entries already archived: time from
``POST /api/tasks/{id}/run`` until the 10 new ones are queued, against a plain
``yt-dlp --download-archive A --flat-playlist`` pass over the same playlist.

The fixture site serves ``/playlist/pl-gen?count=5000`` (``gen-0001`` … ``gen-5000``, 50 a
page, so both sides read 100 pages over loopback). The task's archive is
``<config>/archives/task-{id}.txt`` (the default preset has no ``download_archive``), in
yt-dlp's format (``tubestashfixture gen-0001``). The task has ``auto_start: false``: its
items are queued paused, so no download runs while it is timed; the run's answer comes once
they are queued. Between runs the 10 queued items are removed so they are new again.

Where the time goes, printed after: ``POST /api/tasks/inspect`` (the same listing in a
worker, nothing queued), and the worker's extraction run in this process (no worker hop),
as the server does it and with the archive given to yt-dlp as the CLI has it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import requests

from app.ytdlp.extract import InfoJob, _extract
from bench.common import PLUGIN_DIR, ServerProcess, fixture_site, timed, workdir, ytdlp_command

TOTAL = 5000
ARCHIVED = 4990


def archive_lines() -> str:
    return "".join(f"tubestashfixture gen-{n:04d}\n" for n in range(1, ARCHIVED + 1))


def best_of(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def clear_queue(server: ServerProcess) -> None:
    ids = list(server.get("/api/history/live")["queue"])
    if ids:
        answer = requests.delete(
            f"{server.base_url}/api/history",
            json={"type": "queue", "ids": ids, "remove_file": False},
            timeout=60,
        )
        answer.raise_for_status()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with workdir() as work, fixture_site(work) as site:
        url = site.url(f"/playlist/pl-gen?count={TOTAL}")
        cli_archive = work / "cli-archive.txt"
        cli, ours = [], []
        with ServerProcess(work / "server", YTP_MAX_WORKERS="2") as server:
            task = server.post(
                "/api/tasks", {"name": "big", "url": url, "auto_start": False, "timer": ""}
            )
            task_archive = Path(work / "server" / "config" / "archives" / f"task-{task['id']}.txt")
            task_archive.parent.mkdir(parents=True, exist_ok=True)
            for _ in range(args.runs):
                cli_archive.write_text(archive_lines())
                cli.append(
                    timed(
                        [
                            *ytdlp_command(),
                            "--download-archive",
                            str(cli_archive),
                            "--flat-playlist",
                            url,
                        ]
                    )
                )
                task_archive.write_text(archive_lines())
                clear_queue(server)
                started = time.perf_counter()
                answer = server.post(f"/api/tasks/{task['id']}/run", {})
                ours.append(time.perf_counter() - started)
                assert answer["queued"] == TOTAL - ARCHIVED, answer
                queued = server.get("/api/history/live")["queue"]
                assert len(queued) == TOTAL - ARCHIVED, len(queued)
            inspect = best_of(args.runs, lambda: server.post("/api/tasks/inspect", {"url": url}))
        sys.path.insert(0, str(PLUGIN_DIR))  # the fixture's extractors, as in a worker
        _extract(InfoJob(url))  # imports and extractor classes, once
        here = best_of(args.runs, lambda: _extract(InfoJob(url)))
        archived = {"download_archive": str(cli_archive)}
        with_archive = best_of(args.runs, lambda: _extract(InfoJob(url, archived)))
        print(f"{TOTAL} entries, {ARCHIVED} archived: {args.runs} runs each (first run cold)")
        print(f"  yt-dlp --flat-playlist  {' '.join(f'{v:.3f}' for v in cli)} s")
        print(f"  task run → 10 queued    {' '.join(f'{v:.3f}' for v in ours)} s")
        for label, pick in (("best", min), ("median", statistics.median)):
            a, b = pick(ours), pick(cli)
            print(f"  {label:6s}: task {a:.3f} s, CLI {b:.3f} s, task / CLI = {a / b:.2f}x")
        print("  target: task / CLI <= 1.00x")
        print("where the time goes (best of each):")
        print(f"  POST /api/tasks/inspect (listing in a worker)   {inspect:.3f} s")
        print(f"  the worker's extraction, in this process        {here:.3f} s")
        print(f"  the same with yt-dlp given the archive (as CLI) {with_archive:.3f} s")


if __name__ == "__main__":
    main()
