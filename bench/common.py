"""Shared pieces of the benchmarks: the fixture site, a server process, timing and /proc."""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TICKS = os.sysconf("SC_CLK_TCK")
sys.path.insert(0, str(ROOT))

from tests.fixtures.media import MediaLibrary  # noqa: E402
from tests.fixtures.pytest_plugin import PLUGIN_DIR  # noqa: E402
from tests.fixtures.site import FixtureSite  # noqa: E402
from tests.server_process import ServerProcess  # noqa: E402

__all__ = ["PLUGIN_DIR", "FixtureSite", "MediaLibrary", "ServerProcess"]


@contextlib.contextmanager
def fixture_site(workdir: Path) -> Iterator[FixtureSite]:
    library = MediaLibrary(workdir / "media").ensure()
    with FixtureSite(library) as site:
        yield site


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="tubestash-bench-") as name:
        yield Path(name)


def timed(command: list[str], cwd: Path | None = None) -> float:
    """Seconds one external command takes (yt-dlp, curl, xargs)."""
    env = {**os.environ, "PYTHONPATH": str(PLUGIN_DIR)}
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def ytdlp_command() -> list[str]:
    return [sys.executable, "-m", "yt_dlp", "--quiet", "--no-progress"]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size: the process's own memory plus its share of shared pages."""
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def open_fds(pid: int) -> int:
    return sum(1 for _ in Path(f"/proc/{pid}/fd").iterdir())


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    stack = [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.add(child)
            stack.append(child)
    return found


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (
        f"p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
        f"max {max(ms):.1f} ms (n={len(ms)})"
    )


FINAL = {"finished", "error", "cancelled", "skip"}


def wait_all_finished(server: ServerProcess, uids: set[str], timeout: float = 600) -> float:
    """Polls until every item ended; returns the time it was first seen so.

    ``POST /api/history`` answers before its items are identified and queued, so an item
    absent from the queue is asked for: it may not have reached the queue yet."""
    deadline = time.perf_counter() + timeout
    ended: set[str] = set()
    while time.perf_counter() < deadline:
        queue = server.get("/api/history/live")["queue"]
        for uid in uids - ended - set(queue):
            if server.get(f"/api/history/{uid}")["status"] in FINAL:
                ended.add(uid)
        if ended == uids:
            return time.perf_counter()
        time.sleep(0.01)
    raise TimeoutError("downloads did not finish")
