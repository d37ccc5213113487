"""What a new worker pays before its first job: the modules it imports after the fork."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.ytdlp.jobs import PRELOAD

ROOT = Path(__file__).resolve().parents[2]

# Imports ``first`` (the forkserver's preload), then ``then``; prints what ``then`` added.
IMPORTS = """
import json, sys
import {first}
before = set(sys.modules)
import {then}
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def imported(first: str, then: str) -> list[str]:
    """The modules ``then`` imports in a new process that has imported ``first``."""
    command = [sys.executable, "-c", IMPORTS.format(first=first, then=then)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    modules: list[str] = json.loads(result.stdout)
    return modules


def test_a_new_worker_imports_nothing_the_forkserver_has_not() -> None:
    """A worker's target (its loop) is imported when the forked process unpickles it: each
    worker imported the loop, the sandbox and, through it, pydantic-settings and the
    settings model (~60 ms of CPU, and a batch forks a dozen workers or more)."""
    assert imported(PRELOAD, "app.workers.worker") == []


def test_the_sandbox_does_not_import_the_settings() -> None:
    """Workers are handed their confinement, never the settings."""
    modules = imported("json", "app.sandbox.guard")
    assert "app.sandbox.network" in modules
    assert not [name for name in modules if name.startswith(("app.settings", "pydantic"))]
