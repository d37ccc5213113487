"""Benchmark 4: soak. 1,000 small downloads through the queue.

Prints the server's open file descriptors and RSS before and after, and any child process
left over. Targets: no growth in descriptors, RSS within 30 MB of its start, no leftover.
"""

from __future__ import annotations

import argparse
import time

from app.workers.pool import IDLE_SECONDS
from bench.common import (
    ServerProcess,
    descendants,
    fixture_site,
    open_fds,
    pss_mb,
    rss_mb,
    wait_all_finished,
    workdir,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--downloads", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=100)
    args = parser.parse_args()
    env = {"YTP_MAX_WORKERS": "4", "YTP_MAX_WORKERS_PER_EXTRACTOR": "4"}
    with workdir() as work, fixture_site(work) as site, ServerProcess(work / "s", **env) as server:
        assert server.process is not None
        pid = server.process.pid
        server.get("/api/history/live")
        before_fds, before_rss = open_fds(pid), rss_mb(pid)
        helpers_before = descendants(pid)
        started = time.perf_counter()
        done = 0
        while done < args.downloads:
            size = min(args.batch, args.downloads - done)
            urls = [site.url(f"/watch/gen-{n:04d}") for n in range(done + 1, done + size + 1)]
            answers = server.post("/api/history", [{"url": url} for url in urls])
            wait_all_finished(server, {a["item"]["_id"] for a in answers if a["item"]})
            done += size
        elapsed = time.perf_counter() - started
        idle = descendants(pid) - helpers_before
        idle_pss = sum(pss_mb(worker) for worker in idle)
        # Idle workers wait a while for more jobs, then end: count what stays after that.
        time.sleep(IDLE_SECONDS + 1)
        after_fds, after_rss = open_fds(pid), rss_mb(pid)
        leftover = descendants(pid) - helpers_before
        failed = server.get("/api/history?type=done&status=!finished&per_page=1")
        print(
            f"{args.downloads} downloads in {elapsed:.1f} s "
            f"({failed['pagination']['total']} not finished)"
        )
        print(f"  open descriptors: {before_fds} -> {after_fds} (target: no growth)")
        print(
            f"  RSS: {before_rss:.1f} MB -> {after_rss:.1f} MB "
            f"({after_rss - before_rss:+.1f} MB, target within 30 MB)"
        )
        print(
            f"  idle workers right after the last download: {len(idle)}"
            f" ({idle_pss:.0f} MB PSS together)"
        )
        print(
            f"  leftover processes {IDLE_SECONDS:.0f} s later: {sorted(leftover) or 'none'}"
            f" (the forkserver is "
            f"{sorted(helpers_before) or 'not started'})"
        )


if __name__ == "__main__":
    main()
