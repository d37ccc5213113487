"""Presets: built-in ones from code, user ones from SQLite, one in-memory view of both.

The queue asks for presets synchronously while it prepares an item (``PresetSource``), so
the service answers from a cache that every write refreshes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from app.core.crud import CrudService
from app.core.errors import Conflict, InvalidInput
from app.core.events import EventBus
from app.presets.builtin import BUILTIN_PRESETS
from app.presets.models import PresetFields, PresetModel
from app.presets.store import PresetStore
from app.ytdlp.options import parse_cli
from app.ytdlp.params import Preset

# Given a preset's name, what depends on it, each named for a message ("condition 'x'").
PresetUsers = Callable[[str], Iterable[str]]


class PresetService(CrudService[PresetFields, PresetModel]):
    feature = "presets"
    noun = "Preset"

    def __init__(self, store: PresetStore, bus: EventBus, *, allow_unsafe: bool) -> None:
        super().__init__(store, bus)
        self._allow_unsafe = allow_unsafe
        self._users: list[PresetUsers] = []

    def add_users(self, users: PresetUsers) -> None:
        """Features that refer to presets by name (conditions; tasks, notifications next)
        register here, so a preset they use is neither deleted nor renamed under them."""
        self._users.append(users)

    # -- reading ------------------------------------------------------------------------

    def ordered(self, records: list[PresetModel]) -> list[PresetModel]:
        return sorted(records, key=lambda p: (-p.priority, p.name.casefold()))

    def all(self) -> list[PresetModel]:
        """Built-ins first, in their order; then user presets, higher priority first."""
        return [*BUILTIN_PRESETS, *self._records]

    def by_name(self, name: str) -> PresetModel | None:
        folded = name.casefold()
        return next((p for p in self.all() if p.name.casefold() == folded), None)

    def get_preset(self, name: str) -> Preset | None:
        """The queue's ``PresetSource``."""
        found = self.by_name(name)
        return found.for_queue() if found else None

    # -- rules --------------------------------------------------------------------------

    def writable(self, record_id: int) -> PresetModel:
        preset = self.get(record_id)
        if preset.default:
            raise InvalidInput(f"Preset '{preset.name}' is built in and cannot be changed.")
        return preset

    def check(self, fields: PresetFields, record_id: int | None) -> PresetFields:
        if fields.cli:
            parse_cli(fields.cli, allow_unsafe=self._allow_unsafe)
        clash = self.by_name(fields.name)
        if clash is not None and clash.id != record_id:
            # The store's UNIQUE covers user presets; built-in names are checked here.
            raise Conflict(f"A preset named '{fields.name}' already exists.")
        current = self._current(record_id)
        if current is not None and current.name.casefold() != fields.name.casefold():
            self._not_in_use(current, "renamed")
        return fields

    def before_delete(self, record: PresetModel) -> None:
        self._not_in_use(record, "deleted")

    def _current(self, record_id: int | None) -> PresetModel | None:
        return next((p for p in self._records if p.id == record_id), None)

    def _not_in_use(self, preset: PresetModel, change: str) -> None:
        users = [user for found in self._users for user in found(preset.name)]
        if users:
            raise Conflict(
                f"Preset '{preset.name}' is used by {', '.join(users)} and cannot be {change}."
            )
