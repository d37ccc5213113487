"""What the operator pays for: memory and CPU of a server's whole process tree.

The server is more than its main process: the forkserver (yt-dlp imported), its resource
tracker, the notification delivery process, the workers, and what they run (ffmpeg).
Counting the main process only flatters every figure, so the benchmarks count the tree.

- Memory is PSS (``/proc/<pid>/smaps_rollup``): pages shared between the forkserver and
  its forked workers are split between them, so the sum is what the tree really holds.
- CPU is user + system time of every live process in the tree plus what their ended
  children cost (``cutime``/``cstime``, counted once a child is reaped). Sampled before
  and after, the difference includes workers and ffmpeg runs that ended in between.
"""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.common import TICKS, descendants


@dataclass(frozen=True, slots=True)
class Proc:
    pid: int
    name: str
    pss_mb: float


def members(pid: int) -> list[int]:
    """The process and every descendant alive now."""
    return [pid, *sorted(descendants(pid))]


def _name(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(a.decode(errors="replace") for a in argv if a)
    comm = _comm(pid)
    if comm.startswith("ts-"):
        # Forked from the server (app.workers.prefork): named by what they are; workers
        # and the delivery process keep their forkserver's name.
        if comm == "ts-forkserver" and _comm(_parent(pid)) == "ts-forkserver":
            return "forked"
        return comm.removeprefix("ts-")
    if "forkserver" in text:
        # Workers and the delivery process are forked from it and keep its command line.
        return "forked" if _parent_name(pid) == "forkserver" else "forkserver"
    if "resource_tracker" in text:
        return "resource tracker"
    if "main.py" in text:
        return "server"
    comm = Path(f"/proc/{pid}/comm").read_text().strip() if Path(f"/proc/{pid}").exists() else ""
    return comm or text[:40]


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _parent(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return 0


def _parent_name(pid: int) -> str:
    try:
        parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
        argv = Path(f"/proc/{parent}/cmdline").read_bytes()
    except (OSError, ValueError):
        return "?"
    return "forkserver" if b"forkserver" in argv else "other"


def _pss(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    return 0.0


def processes(pid: int) -> list[Proc]:
    return [Proc(p, _name(p), _pss(p)) for p in members(pid)]


def pss_mb(pid: int) -> float:
    """PSS of the whole tree, in MiB."""
    return sum(_pss(p) for p in members(pid))


def cpu_seconds(pid: int) -> float:
    """CPU seconds the tree has used so far, ended (reaped) children included."""
    total = 0
    for p in members(pid):
        with contextlib.suppress(OSError, IndexError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += sum(int(f) for f in fields[11:15])  # utime stime cutime cstime
    return total / TICKS


def describe(pid: int) -> str:
    """``104.0 MiB in 3 processes (server 66.1, forkserver 30.2, ...)``."""
    found = processes(pid)
    parts = ", ".join(f"{p.name} {p.pss_mb:.1f}" for p in found)
    return f"{sum(p.pss_mb for p in found):.1f} MiB PSS in {len(found)} processes ({parts})"


@dataclass
class Sampler:
    """Samples the tree's PSS and process count in a thread, every ``interval`` seconds."""

    pid: int
    interval: float = 0.25
    samples: list[tuple[float, float, int]] = field(default_factory=list)  # (t, MiB, n)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> Sampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            found = members(self.pid)
            self.samples.append((time.perf_counter(), sum(_pss(p) for p in found), len(found)))
            self._stop.wait(self.interval)

    def peak(self) -> float:
        return max((mib for _, mib, _ in self.samples), default=0.0)

    def at(self, moment: float) -> float:
        """PSS at the first sample taken at or after ``moment``."""
        for t, mib, _ in self.samples:
            if t >= moment:
                return mib
        return self.samples[-1][1] if self.samples else 0.0

    def settled(self, after: float, target: float) -> float | None:
        """Seconds from ``after`` until PSS stayed at or below ``target`` (None: never)."""
        since: float | None = None
        for t, mib, _ in self.samples:
            if t < after:
                continue
            since = (t if since is None else since) if mib <= target else None
        return None if since is None else since - after
