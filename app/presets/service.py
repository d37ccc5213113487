"""Presets: built-in ones from code, user ones from SQLite, one in-memory view of both.

The queue asks for presets synchronously while it prepares an item (``PresetSource``), so
the service answers from a cache that every write refreshes.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.events import EventBus, EventName
from app.presets.builtin import BUILTIN_PRESETS
from app.presets.models import PresetFields, PresetModel
from app.presets.store import PresetStore
from app.ytdlp.options import parse_cli
from app.ytdlp.params import Preset

FEATURE = "presets"


class PresetService:
    def __init__(self, store: PresetStore, bus: EventBus, *, allow_unsafe: bool) -> None:
        self._store = store
        self._bus = bus
        self._allow_unsafe = allow_unsafe
        self._user: list[PresetModel] = []

    async def open(self) -> None:
        """Start-up: a stored preset that would be refused if saved today is set aside."""
        self._user = await self._store.all(check=lambda preset: self._checked(preset, preset.id))

    async def load(self) -> None:
        self._user = await self._store.all()

    # -- reading ------------------------------------------------------------------------

    def all(self) -> list[PresetModel]:
        """Built-ins first, in their order; then user presets, higher priority first."""
        user = sorted(self._user, key=lambda p: (-p.priority, p.name.casefold()))
        return [*BUILTIN_PRESETS, *user]

    def get(self, preset_id: int) -> PresetModel:
        for preset in self.all():
            if preset.id == preset_id:
                return preset
        raise NotFound(f"Preset '{preset_id}' not found.")

    def by_name(self, name: str) -> PresetModel | None:
        folded = name.casefold()
        return next((p for p in self.all() if p.name.casefold() == folded), None)

    def get_preset(self, name: str) -> Preset | None:
        """The queue's ``PresetSource``."""
        found = self.by_name(name)
        return found.for_queue() if found else None

    # -- writing ------------------------------------------------------------------------

    async def create(self, data: dict[str, Any]) -> PresetModel:
        fields = self._checked(PresetFields.model_validate(data), None)
        preset = await self._store.create(fields)
        await self._changed("create", preset)
        return preset

    async def replace(self, preset_id: int, data: dict[str, Any]) -> PresetModel:
        self._writable(preset_id)
        return await self._update(preset_id, PresetFields.model_validate(data))

    async def patch(self, preset_id: int, data: dict[str, Any]) -> PresetModel:
        current = self._writable(preset_id)
        merged = {**current.model_dump(exclude={"id", "default"}), **data}
        return await self._update(preset_id, PresetFields.model_validate(merged))

    async def delete(self, preset_id: int) -> PresetModel:
        preset = self._writable(preset_id)
        if not await self._store.delete(preset_id):
            raise NotFound(f"Preset '{preset_id}' not found.")
        await self._changed("delete", preset)
        return preset

    async def _update(self, preset_id: int, fields: PresetFields) -> PresetModel:
        self._checked(fields, preset_id)
        preset = await self._store.update(preset_id, fields)
        if preset is None:
            raise NotFound(f"Preset '{preset_id}' not found.")
        await self._changed("update", preset)
        return preset

    def _writable(self, preset_id: int) -> PresetModel:
        preset = self.get(preset_id)
        if preset.default:
            raise InvalidInput(f"Preset '{preset.name}' is built in and cannot be changed.")
        return preset

    def _checked(self, fields: PresetFields, preset_id: int | None) -> PresetFields:
        if fields.cli:
            parse_cli(fields.cli, allow_unsafe=self._allow_unsafe)
        clash = self.by_name(fields.name)
        if clash is not None and clash.id != preset_id:
            # The store's UNIQUE covers user presets; built-in names are checked here.
            raise Conflict(f"A preset named '{fields.name}' already exists.")
        return fields

    async def _changed(self, action: str, preset: PresetModel) -> None:
        await self.load()
        self._bus.emit(
            EventName.CONFIG_UPDATE,
            {"feature": FEATURE, "action": action, "data": preset.public(with_cookies=False)},
        )
