"""Runs ``app.workers.prefork`` as the server does and prints what it saw, as JSON.

A program of its own: the zygote is forked only by a process without threads (pytest's
has some), and before anything else started multiprocessing's forkserver.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from app.workers import prefork


def run_a_command() -> None:
    """A worker's job: the exit code of a command it ran (SIGCHLD must be the default)."""
    sys.exit(subprocess.run(["sh", "-c", "exit 3"], check=False).returncode)


def comm(pid: int) -> str:
    return Path(f"/proc/{pid}/comm").read_text().strip()


def parent(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if parent(int(entry.name)) == pid:
                    found.append(int(entry.name))
            except (OSError, ValueError, IndexError):
                continue
    return found


def gone(pid: int, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z":
                return True  # ended; its parent reaps it when it next looks
        except OSError:
            return True
        time.sleep(0.05)
    return False


def job(ctx: Any) -> tuple[int | None, int]:
    """Runs one job; its exit code and the forkserver that forked it."""
    process = ctx.Process(target=run_a_command)
    process.start()
    forkserver = parent(process.pid)
    process.join(60)
    return process.exitcode, forkserver


def main() -> None:
    held = Path(__file__).open()  # noqa: SIM115  # the server's own descriptor
    zygote = prefork.start(["json"])
    assert zygote is not None, "prefork refused to start"
    facts: dict[str, Any] = {"held_fd": held.fileno()}
    (zygote_pid,) = children(os.getpid())
    facts["zygote"] = zygote_pid
    facts["zygote_name"] = comm(zygote_pid)
    facts["zygote_fds"] = sorted(int(fd.name) for fd in Path(f"/proc/{zygote_pid}/fd").iterdir())
    facts["forkservers_before"] = len(children(zygote_pid))

    ctx = multiprocessing.get_context("forkserver")
    code, first = job(ctx)
    facts["exitcode"] = code
    facts["forkserver_name"] = comm(first)
    facts["forkserver_parent_is_zygote"] = parent(first) == zygote_pid
    facts["same_forkserver_again"] = job(ctx)[1] == first

    zygote.let_go()
    facts["let_go_ends_it"] = gone(first)
    code, second = job(ctx)
    facts["after_let_go"] = {"exitcode": code, "new": second != first}

    zygote.pin()
    zygote.let_go()
    facts["pinned_kept"] = job(ctx)[1] == second
    facts["server_children"] = sorted(comm(pid) for pid in children(os.getpid()))

    # Were the zygote to end, jobs would still run, in multiprocessing's own forkserver.
    os.kill(zygote_pid, signal.SIGKILL)
    facts["zygote_killed"] = gone(zygote_pid)
    facts["without_zygote"] = job(ctx)[0]
    print(json.dumps(facts), flush=True)


if __name__ == "__main__":
    main()
