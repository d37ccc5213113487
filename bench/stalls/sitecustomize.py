"""Loaded by the server when ``bench/stalls`` is on its ``PYTHONPATH`` (``--stalls FILE`` of
``bench/ytdlp_host_status.py``): reports every event-loop callback of the server's main
process that runs longer than ``YTP_BENCH_STALL_MS`` (10 by default), with the stacks a
thread sampled while it ran (every 2 ms), as JSON lines in ``YTP_BENCH_STALLS``. Other
processes (the forkserver, workers) load it too and do nothing.
"""

from __future__ import annotations

import os
import sys

if os.environ.get("YTP_BENCH_STALLS") and sys.argv and sys.argv[0].endswith("main.py"):
    import importlib.util
    from pathlib import Path

    # By its path: the server's ``bench`` may be another checkout's (``--project``).
    spec = importlib.util.spec_from_file_location(
        "_bench_stall_sampler", Path(__file__).with_name("sampler.py")
    )
    assert spec is not None and spec.loader is not None
    sampler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sampler)
    sampler.install(
        os.environ["YTP_BENCH_STALLS"], float(os.environ.get("YTP_BENCH_STALL_MS", "10"))
    )
