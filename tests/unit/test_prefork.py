"""The workers' forkserver forked from a zygote: started on need, let go when idle.

``prefork_probe`` runs it in a program of its own (a zygote is forked only by a process
without threads) and reports what it saw.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_forkserver_from_the_zygote() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "tests.unit.prefork_probe"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    facts = json.loads(run.stdout)

    assert facts["zygote_name"] == "ts-zygote"
    # Nothing the server had open but stdio and the zygote's own socket.
    assert facts["held_fd"] not in facts["zygote_fds"]
    assert len(facts["zygote_fds"]) == 4, facts["zygote_fds"]
    assert facts["forkservers_before"] == 0  # started on the first job, not before

    # A job in a worker runs commands and sees their exit codes (SIGCHLD as by default).
    assert facts["exitcode"] == 3
    assert facts["forkserver_name"] == "ts-forkserver"
    assert facts["forkserver_parent_is_zygote"]
    assert facts["same_forkserver_again"]

    # Let go with no worker left, it ends; the next job starts another.
    assert facts["let_go_ends_it"]
    assert facts["after_let_go"] == {"exitcode": 3, "new": True}
    # Pinned (the delivery process holds it), it stays.
    assert facts["pinned_kept"]
    # The zygote alone: no resource tracker beside it.
    assert facts["server_children"] == ["ts-zygote"]

    assert facts["zygote_killed"]
    assert facts["without_zygote"] == 3
