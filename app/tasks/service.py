"""Tasks: the CRUD kit's list with the task rules, the multi-task POST, and the scheduler
told of every change."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from pydantic import ValidationError

from app.core.crud import CrudService
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.events import EventBus
from app.presets.service import PresetService
from app.tasks.backfill import backfilled, fallback_name
from app.tasks.models import TaskFields, TaskModel, TaskRun
from app.tasks.store import TaskStore
from app.ytdlp.options import parse_cli

MAX_BATCH = 100
# The title at a URL, or None: names the tasks of a batch that gave none.
TitleOf = Callable[[str, str], Awaitable[str | None]]
RunState = Callable[[int], TaskRun]


class TaskService(CrudService[TaskFields, TaskModel]):
    feature = "tasks"
    noun = "Task"

    def __init__(
        self,
        store: TaskStore,
        bus: EventBus,
        presets: PresetService,
        *,
        allow_unsafe: bool,
        title_of: TitleOf,
    ) -> None:
        super().__init__(store, bus)
        self._presets = presets
        self._allow_unsafe = allow_unsafe
        self._title_of = title_of
        self._watchers: list[Callable[[list[TaskModel]], None]] = []
        self._state: RunState = lambda _id: TaskRun()

    def watch(self, watcher: Callable[[list[TaskModel]], None], state: RunState) -> None:
        """The scheduler: told the whole list after every change; answers run state."""
        self._watchers.append(watcher)
        self._state = state
        watcher(self._records)

    def keep(self, records: list[TaskModel]) -> None:
        super().keep(records)
        for watcher in self._watchers:
            watcher(self._records)

    def all(self) -> list[TaskModel]:
        return [r.model_copy(update={"run": self._state(r.id)}) for r in self._records]

    def preset_users(self, preset: str) -> Iterable[str]:
        folded = preset.casefold()
        return [f"task '{t.name}'" for t in self._records if t.preset.casefold() == folded]

    # -- rules --------------------------------------------------------------------------

    def check(self, fields: TaskFields, record_id: int | None) -> TaskFields:
        if self._presets.by_name(fields.preset) is None:
            raise NotFound(f"Preset '{fields.preset}' not found.")
        if fields.cli:
            parse_cli(fields.cli, allow_unsafe=self._allow_unsafe)
        return fields

    # -- the multi-task POST ------------------------------------------------------------

    async def create_any(self, data: object) -> TaskModel | list[TaskModel]:
        """One task from an object, or a batch from an array (all checked before any is
        stored, so a refused batch stores nothing)."""
        if isinstance(data, dict):
            return await self.create(data)
        if not isinstance(data, list) or not data or len(data) > MAX_BATCH:
            raise InvalidInput(f"The body must be a task object or an array of 1 to {MAX_BATCH}.")
        if not all(isinstance(task, dict) for task in data):
            raise InvalidInput("Every task of the array must be an object.")
        batch = [await self._fields(data[0], task, i) for i, task in enumerate(data)]
        self._unique(batch)
        created = []
        for fields in batch:
            created.append(await self.create(fields.model_dump()))
        return created

    async def _fields(self, first: dict[str, Any], task: dict[str, Any], index: int) -> TaskFields:
        filled = backfilled(first, task, index)
        if not filled.get("name") and isinstance(filled.get("url"), str):
            title = await self._title_of(filled["url"], str(filled.get("preset") or ""))
            filled["name"] = title or fallback_name(index)
        try:
            return self.check(TaskFields.model_validate(filled), None)
        except ValidationError as exc:
            raise InvalidInput(f"Task {index}: {_first_error(exc)}") from None

    def _unique(self, batch: list[TaskFields]) -> None:
        taken = {t.name.casefold() for t in self._records}
        for fields in batch:
            if fields.name.casefold() in taken:
                raise Conflict(f"A task named '{fields.name}' already exists.")
            taken.add(fields.name.casefold())


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = ".".join(str(part) for part in error["loc"])
    return f"{where}: {error['msg']}" if where else str(error["msg"])
