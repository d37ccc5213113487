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
    from bench.stalls.sampler import install

    install(os.environ["YTP_BENCH_STALLS"], float(os.environ.get("YTP_BENCH_STALL_MS", "10")))
