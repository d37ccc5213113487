"""The scheduler over a real database: a restart after missed ticks runs the task once,
and a run is never started twice at the same time."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from app.core.db import Database
from app.core.errors import Conflict
from app.tasks.models import TaskModel, TaskRun
from app.tasks.runner import RunResult
from app.tasks.scheduler import Scheduler
from app.tasks.store import RunStore


async def _db_with_task(path: Path) -> Database:
    db = await Database.open(path / "t.db")
    await db.execute("INSERT INTO tasks (id, name, url) VALUES (1, 'hourly', 'https://e.x/a')")
    return db


async def test_missed_ticks_run_once_at_start_up(tmp_path: Path) -> None:
    db = await _db_with_task(tmp_path)
    now = time.time()
    # The server was down for a day: 24 hourly ticks were missed.
    await RunStore(db).save(1, now - 86_400, TaskRun(last_run=now - 86_400))
    runs: list[float] = []

    async def run(task: TaskModel) -> RunResult:
        runs.append(time.time())
        return RunResult("ok", "done")

    scheduler = Scheduler(RunStore(db), run, clock=time.time)
    await scheduler.open()
    task = TaskModel(id=1, name="hourly", url="https://e.x/a", timer="0 * * * *")
    scheduler.reschedule([task])
    for _ in range(100):
        if runs and not scheduler.state(1).running:
            break
        await asyncio.sleep(0.02)
    await asyncio.sleep(0.2)
    assert len(runs) == 1
    state = scheduler.state(1)
    assert state.next_run is not None and state.next_run > now
    stored = (await RunStore(db).all())[1]
    assert stored[0] >= now  # the next tick counts from this run
    await scheduler.close()
    await db.close()


async def test_runs_of_one_task_never_overlap(tmp_path: Path) -> None:
    db = await _db_with_task(tmp_path)
    release = asyncio.Event()

    async def run(task: TaskModel) -> RunResult:
        await release.wait()
        return RunResult("ok", "done")

    scheduler = Scheduler(RunStore(db), run)
    await scheduler.open()
    task = TaskModel(id=1, name="hourly", url="https://e.x/a")  # no timer: never by itself
    scheduler.reschedule([task])
    assert scheduler.state(1).next_run is None
    first = asyncio.create_task(scheduler.run_now(task))
    await asyncio.sleep(0.05)
    try:
        await scheduler.run_now(task)
        raise AssertionError("a second run started")
    except Conflict:
        pass
    release.set()
    assert (await first).status == "ok"
    await scheduler.close()
    await db.close()
