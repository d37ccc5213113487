"""Conditions: stored filters on extracted metadata, and what applies when one matches.

The queue asks synchronously while it adds an item, so the enabled conditions are kept
parsed in memory (highest priority first) and refreshed on every write.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.conditions.filter import Node, parse_filter
from app.conditions.models import ConditionFields, ConditionModel
from app.conditions.store import ConditionStore
from app.core.errors import InvalidInput, NotFound
from app.core.events import EventBus, EventName
from app.ytdlp.info import InfoService
from app.ytdlp.options import parse_cli
from app.ytdlp.params import PresetSource

FEATURE = "conditions"


@dataclass(frozen=True, slots=True)
class ConditionMatch:
    """What the first matching condition asks of an item being added."""

    name: str
    cli: str
    preset: str | None
    skip: bool
    cookies: str | None
    ignore_archive: bool


class ConditionService:
    def __init__(
        self,
        store: ConditionStore,
        bus: EventBus,
        presets: PresetSource,
        info: InfoService,
        *,
        allow_unsafe: bool,
    ) -> None:
        self._store = store
        self._bus = bus
        self._presets = presets
        self._info = info
        self._allow_unsafe = allow_unsafe
        self._all: list[ConditionModel] = []
        self._active: list[tuple[ConditionModel, Node]] = []

    async def open(self) -> None:
        """Start-up: a stored condition that would be refused if saved today (a filter the
        stricter parser refuses, a preset that is gone) is set aside."""
        self._keep(await self._store.all(check=self._checked))

    async def load(self) -> None:
        self._keep(await self._store.all())

    def _keep(self, conditions: list[ConditionModel]) -> None:
        self._all = sorted(conditions, key=lambda c: (-c.priority, c.id))
        self._active = [(c, parse_filter(c.filter)) for c in self._all if c.enabled]

    def all(self) -> list[ConditionModel]:
        return list(self._all)

    def get(self, condition_id: int) -> ConditionModel:
        found = next((c for c in self._all if c.id == condition_id), None)
        if found is None:
            raise NotFound(f"Condition '{condition_id}' not found.")
        return found

    def match(self, info: Mapping[str, Any]) -> ConditionMatch | None:
        """The first enabled condition, by priority, whose filter matches ``info``."""
        for condition, node in self._active:
            if node.matches(info):
                extras = condition.extras
                return ConditionMatch(
                    name=condition.name,
                    cli=condition.cli,
                    preset=extras.preset,
                    skip=extras.skip,
                    cookies=extras.cookies,
                    ignore_archive=extras.ignore_archive,
                )
        return None

    async def test(self, url: Any, condition: Any, preset: Any = "") -> dict[str, Any]:
        if not isinstance(condition, str) or not condition.strip():
            raise InvalidInput("condition is required.")
        node = parse_filter(condition)
        info = await self._info.info(
            url if isinstance(url, str) else None, preset if isinstance(preset, str) else ""
        )
        return {"status": node.matches(info), "condition": condition, "data": info}

    # -- writing ------------------------------------------------------------------------

    async def create(self, data: dict[str, Any]) -> ConditionModel:
        fields = self._checked(ConditionFields.model_validate(data))
        condition = await self._store.create(fields)
        await self._changed("create", condition)
        return condition

    async def replace(self, condition_id: int, data: dict[str, Any]) -> ConditionModel:
        self.get(condition_id)
        return await self._update(condition_id, ConditionFields.model_validate(data))

    async def patch(self, condition_id: int, data: dict[str, Any]) -> ConditionModel:
        current = self.get(condition_id).model_dump(exclude={"id"})
        return await self._update(condition_id, ConditionFields.model_validate({**current, **data}))

    async def delete(self, condition_id: int) -> ConditionModel:
        condition = self.get(condition_id)
        if not await self._store.delete(condition_id):
            raise NotFound(f"Condition '{condition_id}' not found.")
        await self._changed("delete", condition)
        return condition

    async def _update(self, condition_id: int, fields: ConditionFields) -> ConditionModel:
        condition = await self._store.update(condition_id, self._checked(fields))
        if condition is None:
            raise NotFound(f"Condition '{condition_id}' not found.")
        await self._changed("update", condition)
        return condition

    def _checked(self, fields: ConditionFields) -> ConditionFields:
        if fields.cli:
            parse_cli(fields.cli, allow_unsafe=self._allow_unsafe)
        preset = fields.extras.preset
        if preset and self._presets.get_preset(preset) is None:
            raise InvalidInput(f"extras.preset: preset '{preset}' not found.")
        return fields

    async def _changed(self, action: str, condition: ConditionModel) -> None:
        await self.load()
        self._bus.emit(
            EventName.CONFIG_UPDATE,
            {"feature": FEATURE, "action": action, "data": condition.public(with_cookies=False)},
        )
