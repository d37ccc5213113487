"""Tasks in SQLite: the ``tasks`` table (one column per ``TaskFields`` field) and the
scheduler's ``task_runs`` beside it."""

from __future__ import annotations

from app.core.crud import CrudStore
from app.core.db import Database
from app.tasks.models import TaskFields, TaskModel, TaskRun


class TaskStore(CrudStore[TaskFields, TaskModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "tasks",
            TaskFields,
            TaskModel,
            conflict=lambda fields: f"A task named '{fields.name}' already exists.",
        )


class RunStore:
    """Per task: the instant its next tick counts from, and its last run's outcome."""

    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self) -> dict[int, tuple[float, TaskRun]]:
        rows = await self._db.fetch_all(
            "SELECT task_id, since, last_run, last_status, last_message, last_queued FROM task_runs"
        )
        return {
            int(row[0]): (
                float(row[1]),
                TaskRun(
                    last_run=row[2], last_status=row[3], last_message=row[4], last_queued=row[5]
                ),
            )
            for row in rows
        }

    async def save(self, task_id: int, since: float, run: TaskRun) -> None:
        await self._db.execute(
            "INSERT INTO task_runs (task_id, since, last_run, last_status, last_message,"
            " last_queued) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (task_id) DO UPDATE SET"
            " since = excluded.since, last_run = excluded.last_run,"
            " last_status = excluded.last_status, last_message = excluded.last_message,"
            " last_queued = excluded.last_queued",
            (task_id, since, run.last_run, run.last_status, run.last_message, run.last_queued),
        )
