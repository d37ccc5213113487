"""Benchmark 2: 50 small files in one POST with YTP_MAX_WORKERS=4, against xargs -P 4 yt-dlp.

Target: at most 0.15x the xargs run.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import time

from bench.common import (
    PLUGIN_DIR,
    ServerProcess,
    fixture_site,
    wait_all_finished,
    workdir,
    ytdlp_command,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=50)
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
            env=_plugin_env(),
        )
        xargs = time.perf_counter() - started
        env = {"YTP_MAX_WORKERS": "4", "YTP_MAX_WORKERS_PER_EXTRACTOR": "4"}
        with ServerProcess(work / "server", **env) as server:
            started = time.perf_counter()
            answers = server.post("/api/history", [{"url": url} for url in urls])
            uids = {a["item"]["_id"] for a in answers if a["status"] == "queued"}
            ended = wait_all_finished(server, uids)
            ours = ended - started
            failed = server.get("/api/history?type=done&status=!finished&per_page=1")
        print(f"{args.files} small files, 4 at a time")
        print(f"  xargs -P 4 yt-dlp  {xargs:6.2f} s")
        print(
            f"  tubestash          {ours:6.2f} s ({len(uids)} queued, "
            f"{failed['pagination']['total']} not finished)"
        )
        print(f"  tubestash / xargs = {ours / xargs:.2f}x (target <= 0.15x)")


def _plugin_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(PLUGIN_DIR)}


if __name__ == "__main__":
    main()
