"""The loop a worker process runs: one job after another, until the server lets it go.

A worker is forked from the warm forkserver once and then serves many jobs (probes,
downloads, tool extractions), one at a time, so a job pays neither the fork nor yt-dlp's
first use in a new process (plugins, extractor set-up, the certificate store). It still
runs each job alone in its own process: a crash or a hang in yt-dlp ends that worker and
that job only, and a cancel still ends the whole process group.

The protocol on the pipe (``app.workers.messages``): the job's own messages, then
``JobDone``; the server answers with ``NextJob`` for the next one, or closes the pipe to
end the worker.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from app.sandbox import guard
from app.sandbox.guard import Confinement
from app.workers.messages import JobDone, NextJob

DONE = JobDone()


# Downloads are background work: a busy worker yields the cores to the server, whose loop
# answers the API and pushes the events (the notification courier sits lower still, at 19).
WORKER_NICE = 5


def serve(first: NextJob, conn: Connection, confinement: Confinement | None = None) -> None:
    """Runs ``first``, then every job the server sends, until it closes the pipe."""
    interrupted = detach()
    lower_priority(WORKER_NICE)
    if confinement is not None:
        guard.enter(confinement)
    work: NextJob | None = first
    try:
        while work is not None:
            work.target(work.job, conn)
            sys.stdout.flush()
            if interrupted():
                return  # a cancel: this process is being stopped, whatever the job did
            conn.send(DONE)
            work = _next(conn)
    except (KeyboardInterrupt, EOFError, OSError):  # a stop, or the server let it go
        return
    finally:
        conn.close()
        if confinement is not None:
            guard.leave(confinement)


def _next(conn: Connection) -> NextJob | None:
    work = conn.recv()
    return work if isinstance(work, NextJob) else None


def lower_priority(nice: int) -> int:
    """This process, and the children it starts (ffmpeg), ``nice`` levels below the server
    (which it inherited its level from), at most 19; returns the level.

    Relative, never absolute: under a server started with ``nice -n 10``, an absolute 5
    would put downloads above the server (and, without root, fail). With autogroup
    scheduling (desktop kernels), a nice level counts only within the session's group, and
    ``detach`` made this process a session of its own: the group is niced too, or the
    kernel would share the cores equally between the groups.
    """
    level = min(19, os.getpriority(os.PRIO_PROCESS, 0) + nice)
    os.setpriority(os.PRIO_PROCESS, 0, level)
    with contextlib.suppress(OSError):
        Path("/proc/self/autogroup").write_text(f"{level}\n")
    return level


def detach() -> Callable[[], bool]:
    """Leads its own process group, dies with its parent; returns "was SIGINT received?"."""
    os.setsid()
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    except (OSError, AttributeError):  # not Linux: the server's shutdown still stops us
        pass
    received: list[int] = []

    def on_sigint(signum: int, frame: Any) -> None:
        # yt-dlp stops on KeyboardInterrupt; the flag outlives a job that catches it.
        received.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGINT, on_sigint)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return lambda: bool(received)
