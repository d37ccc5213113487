"""What the task pages ask besides CRUD: inspect a URL, run a task now, mark or unmark a
task's entries in its download archive."""

from __future__ import annotations

from typing import Any

from app.archives.service import ArchiveService
from app.tasks.handlers import Entry
from app.tasks.models import TaskModel
from app.tasks.runner import RunResult, TaskRunner
from app.tasks.scheduler import Scheduler


class TaskTools:
    def __init__(self, runner: TaskRunner, scheduler: Scheduler, archives: ArchiveService) -> None:
        self._runner = runner
        self._scheduler = scheduler
        self._archives = archives

    async def run_now(self, task: TaskModel) -> RunResult:
        return await self._scheduler.run_now(task)

    async def inspect(
        self, url: str, *, preset: str, handler: str = "", static_only: bool = False
    ) -> tuple[int, dict[str, Any]]:
        """The seed's answer and its status: 200 with what would be queued, or 400."""
        try:
            chosen = self._runner.handler_for(url, handler)
        except Exception as exc:  # the seed answers a miss with its own 400 body
            return 400, _failure(str(exc), handler or None)
        if static_only:
            return 200, {"items": [], "metadata": {"matched": True, "handler": chosen.name}}
        try:
            found = await chosen.entries(url, preset=preset)
            entries = await self._runner.with_archive_ids(found)
        except Exception as exc:  # an extraction failure is the answer, not a server error
            return 400, _failure(str(exc) or type(exc).__name__, chosen.name, matched=True)
        return 200, {
            "matched": True,
            "handler": chosen.name,
            "supported": True,
            "items": [_item(e, chosen.name) for e in entries],
            "metadata": {"raw_count": len(entries)},
        }

    async def mark(self, task: TaskModel) -> str:
        file = self._runner.archive_file(task)
        change = await self._archives.add(file, await self._ids(task))
        return f"Marked {len(change.items)} entries of '{task.name}' as downloaded."

    async def unmark(self, task: TaskModel) -> str:
        file = self._runner.archive_file(task)
        change = await self._archives.remove(file, await self._ids(task))
        return f"Removed {len(change.items)} entries of '{task.name}' from the archive."

    async def _ids(self, task: TaskModel) -> list[str]:
        entries = await self._runner.entries(task)
        return list(dict.fromkeys(e.archive_id for e in entries if e.archive_id))


def _item(entry: Entry, handler: str) -> dict[str, Any]:
    return {
        "url": entry.url,
        "title": entry.title,
        "archive_id": entry.archive_id,
        "metadata": {"source_id": entry.id, "source_handler": handler},
    }


def _failure(message: str, handler: str | None, *, matched: bool = False) -> dict[str, Any]:
    return {
        "matched": matched,
        "handler": handler,
        "error": message,
        "message": message,
        "metadata": {"supported": True},
    }
