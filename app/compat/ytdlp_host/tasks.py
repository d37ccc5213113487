"""yt-dlp-host tasks over the downloads: each task is one item in a folder of its own.

A task row (``ytdlp_host_tasks``) ties the task id the client polls to the item, its type
and the key that made it. The status is read from the item each time, so what the native
queue shows and what the client sees never disagree. Tasks that ended are removed, with
their folder, ``cleanup_after`` seconds later (yt-dlp-host's TASK_CLEANUP_TIME).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import shutil
import string
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

from app.access.permissions import Principal
from app.compat.ytdlp_host.models import TaskBody, TaskType, command_line
from app.core.db import Database
from app.core.errors import Forbidden, InvalidInput, NotFound
from app.core.paths import resolve_under
from app.downloads.models import ACTIVE, AddRequest, Item, Status
from app.downloads.service import Downloads

log = logging.getLogger(__name__)

FOLDER = "ytdlp-host"  # under the download root: one folder per task inside
ID_ALPHABET = string.ascii_lowercase + string.digits
ID_LENGTH = 16
INFO_FILE = "info.json"


def new_task_id() -> str:
    return "".join(secrets.choice(ID_ALPHABET) for _ in range(ID_LENGTH))


@dataclass(slots=True)
class Task:
    id: str
    item_id: str
    task_type: TaskType
    owner: str
    request: dict[str, Any]
    created_at: float
    ended_at: float | None = field(default=None)
    # The answer once the item ended: clients poll it every second, and it no longer changes.
    final: dict[str, Any] | None = field(default=None)

    @property
    def folder(self) -> str:
        return f"{FOLDER}/{self.id}"


def _parse(row: aiosqlite.Row) -> Task:
    return Task(
        id=row["id"],
        item_id=row["item_id"],
        task_type=TaskType(row["task_type"]),
        owner=row["owner"],
        request=json.loads(row["request"]),
        created_at=row["created_at"],
    )


def wire_status(item: Item | None) -> str:
    """yt-dlp-host's four statuses: its client breaks on any other."""
    if item is None:
        return "error"
    if item.status in (None, Status.PENDING):
        return "waiting"
    if item.status in ACTIVE:
        return "processing"
    return "completed" if item.status is Status.FINISHED else "error"


def _failure(item: Item | None) -> str:
    if item is None:
        return "The download was removed."
    if item.status is Status.CANCELLED:
        return "The download was cancelled."
    return item.error or item.msg or f"The download ended with status {item.status}."


class HostTasks:
    def __init__(
        self,
        db: Database,
        downloads: Downloads,
        download_root: Path,
        *,
        cleanup_after: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._db = db
        self._downloads = downloads
        self._root = download_root
        self._cleanup_after = cleanup_after
        self._clock = clock
        self._tasks: dict[str, Task] = {}
        self._sweeper: asyncio.Task[None] | None = None

    async def open(self) -> None:
        sql = "SELECT * FROM ytdlp_host_tasks ORDER BY created_at"
        for task in await self._db.load_rows("ytdlp_host_tasks", sql, _parse):
            self._tasks[task.id] = task
        self._sweeper = asyncio.create_task(self._sweep_forever(), name="ytdlp-host-cleanup")

    async def close(self) -> None:
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.wait([self._sweeper])
            self._sweeper = None

    # -- tasks ----------------------------------------------------------------------------

    async def create(self, task_type: TaskType, body: TaskBody, owner: Principal) -> Task:
        task_id = new_task_id()
        request = AddRequest(
            url=body.url,
            folder=f"{FOLDER}/{task_id}",
            template=f"{body.stem}.%(ext)s",
            cli=command_line(body),
            force=True,  # a task always downloads: the client waits for its own file
            conditions=False,
        )
        [added] = await self._downloads.add([request])
        if added.status is False or added.item is None:
            raise InvalidInput(added.msg or "The URL was not added.")
        task = Task(
            id=task_id,
            item_id=added.item.uid,
            task_type=task_type,
            owner=owner.name,
            request=body.model_dump(mode="json"),
            created_at=self._clock(),
        )
        await self._db.insert(
            "INSERT INTO ytdlp_host_tasks (id, item_id, task_type, owner, request, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (
                task.id,
                task.item_id,
                task.task_type.value,
                task.owner,
                json.dumps(task.request),
                task.created_at,
            ),
        )
        self._tasks[task.id] = task
        return task

    def get(self, task_id: str, principal: Principal) -> Task:
        """The task, for the key that made it (or an admin)."""
        task = self._tasks.get(task_id)
        if task is None:
            raise NotFound("Task not found")
        if task.owner != principal.name and not principal.is_admin:
            raise Forbidden("This task belongs to another API key")
        return task

    async def status(self, task: Task) -> dict[str, Any]:
        if task.final is not None:
            return task.final
        item = await self._downloads.find(task.item_id)
        status = wire_status(item)
        answer: dict[str, Any] = {"status": status, "task_type": task.task_type.value}
        answer.update(task.request)
        if status == "completed":
            name = INFO_FILE if task.task_type is TaskType.GET_INFO else _file_name(item)
            answer["file"] = f"/files/{task.id}/{name}"
        elif status == "error":
            answer["error"] = _failure(item)
        if status in ("completed", "error") and item is not None:
            task.final = answer
        return answer

    async def file(self, task: Task, name: str) -> Path:
        """The task's file ``name`` (``info.json`` is the file yt-dlp wrote the info to)."""
        folder = resolve_under(self._root, task.folder, "task")
        path = await asyncio.to_thread(_find_file, folder, name)
        if path is None:
            raise NotFound("File not found")
        return path

    # -- cleanup --------------------------------------------------------------------------

    async def _sweep_forever(self) -> None:
        period = min(60.0, max(0.5, self._cleanup_after / 10))
        while True:
            await asyncio.sleep(period)
            try:
                await self.sweep()
            except Exception:
                log.exception("cleaning up yt-dlp-host tasks failed; trying again later")

    async def sweep(self) -> list[str]:
        """Removes the tasks that ended ``cleanup_after`` seconds ago, their items and files."""
        now = self._clock()
        removed = []
        for task in list(self._tasks.values()):
            item = await self._downloads.find(task.item_id)
            if wire_status(item) in ("waiting", "processing"):
                continue
            if task.ended_at is None:
                task.ended_at = now
            if now - task.ended_at >= self._cleanup_after:
                await self._remove(task)
                removed.append(task.id)
        return removed

    async def _remove(self, task: Task) -> None:
        # The task goes first, so nobody is sent to files that are going; the item last,
        # so its ``item_deleted`` means everything else has gone already.
        self._tasks.pop(task.id, None)
        await self._db.execute("DELETE FROM ytdlp_host_tasks WHERE id = ?", (task.id,))
        folder = resolve_under(self._root, task.folder, "task")
        await asyncio.to_thread(shutil.rmtree, folder, True)
        await self._downloads.delete([task.item_id], remove_file=False)

    def count(self) -> int:
        return len(self._tasks)


def _file_name(item: Item | None) -> str:
    filename = item.filename if item is not None else None
    return Path(filename).name if filename else ""


def _find_file(folder: Path, name: str) -> Path | None:
    if name == INFO_FILE:
        # yt-dlp names it after the output template: "info.info.json".
        with contextlib.suppress(OSError):
            for path in folder.iterdir():
                if path.name.endswith(".info.json") and path.is_file():
                    return path
        return None
    path = resolve_under(folder, name, "file")
    return path if path.is_file() else None
