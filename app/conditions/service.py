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
from app.core.crud import CrudService
from app.core.errors import InvalidInput
from app.core.events import EventBus
from app.ytdlp.info import InfoService
from app.ytdlp.options import parse_cli
from app.ytdlp.params import PresetSource


@dataclass(frozen=True, slots=True)
class ConditionMatch:
    """What the first matching condition asks of an item being added."""

    name: str
    cli: str
    preset: str | None
    skip: bool
    cookies: str | None
    ignore_archive: bool


class ConditionService(CrudService[ConditionFields, ConditionModel]):
    feature = "conditions"
    noun = "Condition"

    def __init__(
        self,
        store: ConditionStore,
        bus: EventBus,
        presets: PresetSource,
        info: InfoService,
        *,
        allow_unsafe: bool,
    ) -> None:
        super().__init__(store, bus)
        self._presets = presets
        self._info = info
        self._allow_unsafe = allow_unsafe
        self._active: list[tuple[ConditionModel, Node]] = []

    def keep(self, records: list[ConditionModel]) -> None:
        super().keep(records)
        self._active = [(c, parse_filter(c.filter)) for c in self._records if c.enabled]

    def ordered(self, records: list[ConditionModel]) -> list[ConditionModel]:
        return sorted(records, key=lambda c: (-c.priority, c.id))

    def check(self, fields: ConditionFields, record_id: int | None) -> ConditionFields:
        """Also at start-up: a stored condition that would be refused if saved today (a
        filter the stricter parser refuses, a preset that is gone) is set aside."""
        if fields.cli:
            parse_cli(fields.cli, allow_unsafe=self._allow_unsafe)
        preset = fields.extras.preset
        if preset and self._presets.get_preset(preset) is None:
            raise InvalidInput(f"extras.preset: preset '{preset}' not found.")
        return fields

    def preset_users(self, preset: str) -> list[str]:
        """The conditions that switch items to ``preset`` (the presets' ``PresetUsers``)."""
        folded = preset.casefold()
        return [
            f"condition '{c.name}'"
            for c in self._records
            if c.extras.preset and c.extras.preset.casefold() == folded
        ]

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
