"""Cold start: from ``python main.py`` until the first history page answers (what the UI
waits for), with an empty database and with 1,000,000 items (``--items``).

With ``--baseline <checkout>`` (e.g. a ``git archive`` of an older commit) the two
servers are started in turns on copies of the same data, so both see the same machine
load; each is started once first (an upgrade's migrations run then) and not counted.
Prints the median and the best of ``--runs`` starts, and the whole tree's PSS once up.
Target: under 0.7 s either way.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import time
from pathlib import Path

from bench import proctree
from bench.common import ROOT, ServerProcess, descendants, workdir
from bench.history_scale import seed

FIRST_PAGE = "/api/history?type=done&page=1&per_page=50"


def start_once(data: Path, project: Path) -> tuple[float, float]:
    server = ServerProcess(data, project=project)
    seconds = server.start(timeout=900, ready=FIRST_PAGE)
    assert server.process is not None
    tree = descendants(server.process.pid)
    try:
        return seconds, proctree.pss_mb(server.process.pid)
    finally:
        server.stop()
        # The next start is timed alone: a forkserver still importing when its server
        # stopped would otherwise take the cores from it (it ends once it has imported).
        deadline = time.monotonic() + 30
        while any(Path(f"/proc/{pid}").exists() for pid in tree) and time.monotonic() < deadline:
            time.sleep(0.05)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--baseline", type=Path, help="another checkout, started in turns")
    args = parser.parse_args()
    projects = {"this": ROOT} | ({"baseline": args.baseline} if args.baseline else {})
    with workdir() as work:
        seeded = work / "seeded" / "config"
        seed(seeded, args.items)
        for size in (0, args.items):
            datas = {}
            for name, project in projects.items():
                data = work / f"{name}-{size}"
                if size:
                    shutil.copytree(seeded, data / "config")
                first, _ = start_once(data, project)
                print(f"{name:8s} {size:>9} items: first start (migrations) {first:.2f} s")
                datas[name] = data
            times: dict[str, list[float]] = {name: [] for name in projects}
            pss: dict[str, float] = {}
            for _ in range(args.runs):
                for name, project in projects.items():
                    seconds, pss[name] = start_once(datas[name], project)
                    times[name].append(seconds)
            for name, values in times.items():
                print(
                    f"{name:8s} {size:>9} items: first history answer median"
                    f" {statistics.median(values):.2f} s, best {min(values):.2f} s"
                    f" ({args.runs} starts; target < 0.7 s); tree {pss[name]:.1f} MiB PSS"
                )
            if len(times) == 2:
                ratio = statistics.median(times["this"]) / statistics.median(times["baseline"])
                print(f"         {size:>9} items: this / baseline (medians) = {ratio:.2f}x")


if __name__ == "__main__":
    main()
