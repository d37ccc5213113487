"""GET /api/logs's reader on a big log: the newest page read from the file's end, vs
reading the whole file and splitting it (the obvious way), on the same file in the same run.

Prints the time and the peak memory Python allocated for each (tracemalloc). In-process,
no server: the API calls this reader in a thread.
"""

from __future__ import annotations

import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.logs.tail import read_page

SIZE_MB = 200
LINE = "2026-12-02T10:00:00.{n:06d}+00:00 INFO aiohttp.access: 127.0.0.1 GET /api/history 200\n"


def make_log(path: Path) -> None:
    block = "".join(LINE.format(n=n) for n in range(10_000))
    with path.open("w") as handle:
        while handle.tell() < SIZE_MB * 1024 * 1024:
            handle.write(block)


def whole_file(path: Path) -> list[str]:
    lines = path.read_text().splitlines()
    return lines[::-1][:100]


def measure(name: str, call: Callable[[], Any]) -> None:
    best = float("inf")
    for _ in range(3):
        tracemalloc.start()
        started = time.perf_counter()
        call()
        best = min(best, time.perf_counter() - started)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    print(f"{name:>18}: {best * 1000:9.1f} ms, peak {peak / 2**20:8.1f} MiB")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tubestash.log"
        make_log(path)
        print(f"log file: {path.stat().st_size / 2**20:.0f} MiB")
        measure("tail, newest 100", lambda: read_page([path], 0, 100))
        measure("tail, offset 5000", lambda: read_page([path], 5000, 150))
        measure("whole file (base)", lambda: whole_file(path))


if __name__ == "__main__":
    main()
