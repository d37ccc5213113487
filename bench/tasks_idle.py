"""1,000 tasks with timers: the scheduler's idle CPU against none, and its RSS growth.

In-process, over a real SQLite file: one Scheduler holds 1,000 hourly timers (none due in
the window) and the loop idles for WINDOW seconds; CPU and RSS are read from /proc.
"""

from __future__ import annotations

import asyncio
import resource
import sys
import tempfile
import time
from pathlib import Path

from app.core.db import Database
from app.tasks.models import TaskModel
from app.tasks.runner import RunResult
from app.tasks.scheduler import Scheduler
from app.tasks.store import RunStore

WINDOW = 10.0


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def idle_cpu(count: int, db: Database) -> tuple[float, float]:
    async def run(task: TaskModel) -> RunResult:
        return RunResult("ok", "")

    scheduler = Scheduler(RunStore(db), run)
    await scheduler.open()
    minute = (time.localtime().tm_min + 30) % 60  # never due inside the window
    tasks = [
        TaskModel(id=i, name=f"t{i}", url="https://e.x/", timer=f"{minute} * * * *")
        for i in range(1, count + 1)
    ]
    before_rss = rss_mb()
    scheduler.reschedule(tasks)
    await asyncio.sleep(0.5)
    start = resource.getrusage(resource.RUSAGE_SELF)
    await asyncio.sleep(WINDOW)
    end = resource.getrusage(resource.RUSAGE_SELF)
    await scheduler.close()
    cpu = (end.ru_utime + end.ru_stime) - (start.ru_utime + start.ru_stime)
    return cpu / WINDOW * 100, rss_mb() - before_rss


async def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "b.db")
        rows = [(i, f"t{i}", "https://e.x/") for i in range(1, 1001)]
        await db.execute_many("INSERT INTO tasks (id, name, url) VALUES (?, ?, ?)", rows)
        for count in (0, 1000):
            cpu, grown = await idle_cpu(count, db)
            print(f"{count:>5} tasks: idle CPU {cpu:.3f}% of a core, RSS +{grown:.1f} MB")
        await db.close()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
