"""One run of a task: its handler lists what is at the URL, what the task's download
archive already holds is left out, the rest is queued through the Downloads facade (the
same path as any add: presets, conditions, archive, duplicates), then ``task_dispatched``.

A task's archive is its preset's ``download_archive`` when the preset names one (the
queue writes to that file then), else ``task-{id}.txt``, both under <config>/archives.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import InvalidInput
from app.core.events import EventBus
from app.downloads.models import AddRequest, check_web_url
from app.downloads.service import Downloads
from app.notifications.events import TaskDispatched
from app.presets.service import PresetService
from app.tasks.handlers import Entry, Handler, Handlers
from app.tasks.models import TaskModel

# URLs -> their archive ids without a network request (InfoService.archive_ids).
ArchiveIdsOf = Callable[[list[Any]], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True, slots=True)
class RunResult:
    status: str  # "ok" or "error"
    message: str
    found: int = 0  # entries the handler listed
    queued: int = 0


class TaskRunner:
    def __init__(
        self,
        *,
        downloads: Downloads,
        handlers: Handlers,
        presets: PresetService,
        archive_ids: ArchiveIdsOf,
        archives: Path,
        bus: EventBus,
    ) -> None:
        self._downloads = downloads
        self._handlers = handlers
        self._presets = presets
        self._archive_ids = archive_ids
        self._archives = archives
        self._bus = bus

    # -- the parts inspect and mark share -----------------------------------------------

    def handler_for(self, url: str, name: str = "") -> Handler:
        handler = self._handlers.named(name) if name else self._handlers.for_url(url)
        if handler is None:
            raise InvalidInput(
                f"No handler named '{name}'." if name else "No handler matched the supplied URL."
            )
        return handler

    def archive_file(self, task: TaskModel) -> Path:
        preset = self._presets.by_name(task.preset)
        name = preset.download_archive if preset and preset.download_archive else None
        return self._archives / (name or f"task-{task.id}.txt")

    async def entries(self, task: TaskModel) -> list[Entry]:
        """Every entry at the task's URL, each with its archive id where one is known."""
        handler = self.handler_for(task.url, task.handler)
        found = await handler.entries(task.url, preset=task.preset)
        return await self.with_archive_ids(found)

    async def with_archive_ids(self, entries: list[Entry]) -> list[Entry]:
        missing = [e.url for e in entries if e.archive_id is None]
        if not missing:
            return entries
        ids = iter(await self._archive_ids(missing))
        return [e if e.archive_id else _with_id(e, next(ids).get("archive_id")) for e in entries]

    # -- a run ----------------------------------------------------------------------------

    async def run(self, task: TaskModel) -> RunResult:
        try:
            if not task.handler_enabled:
                return await self._queue(task, [Entry(url=task.url)], found=1)
            entries = await self.entries(task)
            archived = await asyncio.to_thread(_read_ids, self.archive_file(task))
            new = [e for e in entries if e.archive_id is None or e.archive_id not in archived]
            return await self._queue(task, new, found=len(entries))
        except Exception as exc:  # a run's failure is its result, shown on the task
            return RunResult("error", str(exc) or type(exc).__name__)

    async def _queue(self, task: TaskModel, entries: list[Entry], *, found: int) -> RunResult:
        requests = [self._request(task, e) for e in entries if _is_web(e.url)]
        results = await self._downloads.add(requests) if requests else []
        queued = sum(1 for r in results if r.status == "queued")
        self._bus.publish(
            TaskDispatched(task_id=task.id, name=task.name, url=task.url, preset=task.preset)
        )
        message = f"{queued} queued of {found} found, {len(requests)} new"
        return RunResult("ok", message, found=found, queued=queued)

    def _request(self, task: TaskModel, entry: Entry) -> AddRequest:
        cli = task.cli
        preset = self._presets.by_name(task.preset)
        if task.handler_enabled and not (preset and preset.download_archive):
            # Downloads record themselves in the task's archive: the next run skips them.
            cli = f"{cli} --download-archive task-{task.id}.txt".strip()
        return AddRequest(
            url=entry.url,
            preset=task.preset,
            folder=task.folder,
            template=task.template,
            cookies=task.cookies,
            cli=cli,
            auto_start=task.auto_start,
        )


def _with_id(entry: Entry, archive_id: object) -> Entry:
    found = archive_id if isinstance(archive_id, str) else None
    return Entry(url=entry.url, title=entry.title, id=entry.id, archive_id=found)


def _is_web(url: str) -> bool:
    try:
        check_web_url(url)
    except ValueError:
        return False
    return True


def _read_ids(file: Path) -> set[str]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        return set()
    return {line.strip() for line in text.splitlines() if line.strip()}
