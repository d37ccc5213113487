"""The shared life of a stored list: an in-memory copy, writes through the store, one
``config_update`` event per change.

Readers (the queue preparing an item, the configuration endpoint) ask synchronously, so
the service answers from a copy loaded at start-up (``open``) and after every write
(``load``). A feature subclasses it for its own rules through five hooks: ``keep``,
``ordered``, ``check``, ``writable`` and ``before_delete``.
"""

from __future__ import annotations

from typing import Any, Generic

from app.core.crud.store import CrudStore, F, M
from app.core.errors import NotFound
from app.core.events import ConfigChanged, EventBus


class CrudService(Generic[F, M]):
    feature: str  # the ``feature`` of config_update events, e.g. "presets"
    noun: str  # how messages name one record, e.g. "Preset"

    def __init__(self, store: CrudStore[F, M], bus: EventBus) -> None:
        self._store = store
        self._bus = bus
        self._records: list[M] = []

    async def open(self) -> None:
        """Start-up: a stored record that would be refused if saved today is set aside."""
        self.keep(await self._store.all(check=self._still_valid))

    async def load(self) -> None:
        self.keep(await self._store.all())

    def _still_valid(self, record: M) -> None:
        self.check(self._store.fields_of(record), record.id)

    # -- hooks --------------------------------------------------------------------------

    def keep(self, records: list[M]) -> None:
        """Replaces the in-memory copy; extend it to derive more (parsed filters)."""
        self._records = self.ordered(records)

    def ordered(self, records: list[M]) -> list[M]:
        """The order lists show; by default the store's."""
        return records

    def check(self, fields: F, record_id: int | None) -> F:
        """The feature's rules beyond the model's; ``record_id`` is None for a create."""
        return fields

    def writable(self, record_id: int) -> M:
        """The record a change or delete is about; raises if it may not change."""
        return self.get(record_id)

    def before_delete(self, record: M) -> None:
        """Raises if something still depends on ``record``."""

    # -- reading ------------------------------------------------------------------------

    def all(self) -> list[M]:
        return list(self._records)

    def get(self, record_id: int) -> M:
        found = next((r for r in self.all() if r.id == record_id), None)
        if found is None:
            raise NotFound(f"{self.noun} '{record_id}' not found.")
        return found

    # -- writing ------------------------------------------------------------------------

    async def create(self, data: dict[str, Any]) -> M:
        fields = self.check(self._store.fields.model_validate(data), None)
        record = await self._store.create(fields)
        await self._changed("create", record)
        return record

    async def replace(self, record_id: int, data: dict[str, Any]) -> M:
        self.writable(record_id)
        return await self._update(record_id, self._store.fields.model_validate(data))

    async def patch(self, record_id: int, data: dict[str, Any]) -> M:
        current = self.writable(record_id).model_dump(include=set(self._store.columns))
        return await self._update(record_id, self._store.fields.model_validate(current | data))

    async def delete(self, record_id: int) -> M:
        record = self.writable(record_id)
        self.before_delete(record)
        if not await self._store.delete(record_id):
            raise NotFound(f"{self.noun} '{record_id}' not found.")
        await self._changed("delete", record)
        return record

    async def _update(self, record_id: int, fields: F) -> M:
        record = await self._store.update(record_id, self.check(fields, record_id))
        if record is None:
            raise NotFound(f"{self.noun} '{record_id}' not found.")
        await self._changed("update", record)
        return record

    async def _changed(self, action: str, record: M) -> None:
        await self.load()
        data = record.summary().model_dump(mode="json")
        self._bus.publish(ConfigChanged(feature=self.feature, action=action, data=data))
