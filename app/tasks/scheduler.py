"""The task scheduler: one timer, set for the next due task, in the server's loop.

No task is polled: after every change the next instant of each timer is computed once
(croniter), and one background task sleeps until the earliest. A task whose timer is empty
or that is disabled never runs by itself. Each task's ``since`` (its last run, or when it
was first scheduled) is stored, so a tick missed while the server was down is due at
start-up, once, however many ticks were missed. A running task is never started again
until it ends.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from croniter import croniter

from app.core.errors import Conflict
from app.tasks.models import TaskModel, TaskRun
from app.tasks.runner import RunResult
from app.tasks.store import RunStore

log = logging.getLogger(__name__)

Clock = Callable[[], float]
Run = Callable[[TaskModel], Awaitable[RunResult]]
# Wall clocks jump (NTP, suspend); the timer wakes at least this often to look again.
LONGEST_SLEEP = 3600.0


def next_after(timer: str, since: float) -> float:
    """The first tick of ``timer`` after ``since`` (epoch seconds, local time zone)."""
    start = datetime.fromtimestamp(since).astimezone()
    return float(croniter(timer, start).get_next(float))


class Scheduler:
    def __init__(self, runs: RunStore, run: Run, *, clock: Clock = time.time, parallel: int = 2):
        self._runs = runs
        self._run = run
        self._clock = clock
        self._slots = asyncio.Semaphore(parallel)  # runs at once (each lists in a worker)
        self._tasks: dict[int, TaskModel] = {}
        self._since: dict[int, float] = {}
        self._last: dict[int, TaskRun] = {}
        self._next: dict[int, float] = {}
        self._running: set[int] = set()
        self._wake = asyncio.Event()
        self._timer: asyncio.Task[None] | None = None
        self._jobs: set[asyncio.Task[Any]] = set()

    async def open(self) -> None:
        for task_id, (since, last) in (await self._runs.all()).items():
            self._since[task_id], self._last[task_id] = since, last
        self._timer = asyncio.create_task(self._sleep_until_due(), name="task-scheduler")

    async def close(self) -> None:
        pending = [*self._jobs, *([self._timer] if self._timer else [])]
        for job in pending:
            job.cancel()
        await asyncio.gather(*pending, return_exceptions=True)

    # -- what the service tells and asks ------------------------------------------------

    def reschedule(self, tasks: list[TaskModel]) -> None:
        """The whole list, after every change: each timer's next instant, computed once."""
        now = self._clock()
        self._tasks = {t.id: t for t in tasks}
        self._next = {}
        new = [t.id for t in tasks if t.id not in self._since]
        for task in tasks:
            since = self._since.setdefault(task.id, now)
            if task.enabled and task.timer:
                self._next[task.id] = next_after(task.timer, since)
        for gone in set(self._since) - set(self._tasks):
            del self._since[gone]
        if new:  # stored, so a tick due before the first run is not lost to a restart
            self._track(asyncio.create_task(self._save_since(new, now)))
        self._wake.set()

    async def _save_since(self, task_ids: list[int], since: float) -> None:
        for task_id in task_ids:
            await self._runs.save(task_id, since, self._last.get(task_id, TaskRun()))

    def state(self, task_id: int) -> TaskRun:
        last = self._last.get(task_id, TaskRun())
        return last.model_copy(
            update={"next_run": self._next.get(task_id), "running": task_id in self._running}
        )

    async def run_now(self, task: TaskModel) -> RunResult:
        if task.id in self._running:
            raise Conflict(f"Task '{task.name}' is already running.")
        job = self._start(task)
        return await asyncio.shield(job)

    # -- the timer ----------------------------------------------------------------------

    async def _sleep_until_due(self) -> None:
        while True:
            self._wake.clear()
            now = self._clock()
            waiting = {i: t for i, t in self._next.items() if i not in self._running}
            for task_id, due in waiting.items():
                if due <= now:
                    self._start(self._tasks[task_id])
            later = [t for i, t in waiting.items() if t > now]
            delay = min([LONGEST_SLEEP, *(t - now for t in later)])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=max(delay, 0.0))

    def _start(self, task: TaskModel) -> asyncio.Task[RunResult]:
        self._running.add(task.id)
        job = asyncio.create_task(self._one(task), name=f"task-{task.id}")
        self._track(job)
        return job

    def _track(self, job: asyncio.Task[Any]) -> None:
        self._jobs.add(job)
        job.add_done_callback(self._jobs.discard)

    async def _one(self, task: TaskModel) -> RunResult:
        started = self._clock()
        try:
            async with self._slots:
                result = await self._run(task)
            log.info("task %r: %s", task.name, result.message)
            last = TaskRun(
                last_run=started,
                last_status=result.status,
                last_message=result.message,
                last_queued=result.queued,
            )
            self._last[task.id] = last
            if task.id in self._tasks:
                self._since[task.id] = started
                await self._runs.save(task.id, started, last)
            return result
        finally:
            self._running.discard(task.id)
            current = self._tasks.get(task.id)
            if current is not None and current.enabled and current.timer:
                self._next[task.id] = next_after(current.timer, self._since[task.id])
            self._wake.set()
