"""What a new worker pays before its first job: the modules it imports after the fork."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.ytdlp.jobs import PRELOAD

ROOT = Path(__file__).resolve().parents[2]

# Imports the forkserver's preload, then what unpickling a worker's target imports.
IMPORTS = """
import json, sys
import {preload}
before = set(sys.modules)
import app.workers.worker
print(json.dumps(sorted(set(sys.modules) - before)))
"""


def test_a_new_worker_does_not_import_the_settings() -> None:
    """Each worker imported pydantic-settings and built the settings model (~50 ms of CPU,
    a batch forks a dozen workers); workers are handed their confinement, not settings."""
    command = [sys.executable, "-c", IMPORTS.format(preload=PRELOAD)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    imported = json.loads(result.stdout)
    assert "app.workers.worker" in imported
    assert not [name for name in imported if name.startswith(("app.settings", "pydantic"))]
