"""Download fields: validated against yt-dlp's parser and the option policy, cached for
the configuration endpoint, announced on every change."""

from __future__ import annotations

import functools
import shlex
from typing import Any

from yt_dlp.options import create_parser

from app.core.errors import InvalidInput, NotFound
from app.core.events import EventBus, EventName
from app.dl_fields.models import DlFieldFields, DlFieldModel
from app.dl_fields.store import DlFieldStore
from app.ytdlp.options import parse_cli
from app.ytdlp.policy import check_flag

FEATURE = "dl_fields"


@functools.cache
def _options() -> dict[str, tuple[list[str], bool]]:
    """Long option -> (all its names, whether it takes a value)."""
    parser = create_parser()
    table: dict[str, tuple[list[str], bool]] = {}
    for option in [*parser.option_list, *(o for g in parser.option_groups for o in g.option_list)]:
        names = [*option._short_opts, *option._long_opts]
        for name in option._long_opts:
            table[name] = (names, bool(option.takes_value()))
    return table


class DlFieldService:
    def __init__(self, store: DlFieldStore, bus: EventBus, *, allow_unsafe: bool) -> None:
        self._store = store
        self._bus = bus
        self._allow_unsafe = allow_unsafe
        self._all: list[DlFieldModel] = []

    async def open(self) -> None:
        """Start-up: a stored field that would be refused if saved today (an option yt-dlp
        no longer has, one the policy refuses) is set aside."""
        self._all = await self._store.all(check=self._checked)

    async def load(self) -> None:
        self._all = await self._store.all()

    def all(self) -> list[DlFieldModel]:
        return list(self._all)

    def get(self, field_id: int) -> DlFieldModel:
        found = next((f for f in self._all if f.id == field_id), None)
        if found is None:
            raise NotFound(f"Download field '{field_id}' not found.")
        return found

    async def create(self, data: dict[str, Any]) -> DlFieldModel:
        created = await self._store.create(self._checked(DlFieldFields.model_validate(data)))
        await self._changed("create", created)
        return created

    async def replace(self, field_id: int, data: dict[str, Any]) -> DlFieldModel:
        self.get(field_id)
        return await self._update(field_id, DlFieldFields.model_validate(data))

    async def patch(self, field_id: int, data: dict[str, Any]) -> DlFieldModel:
        current = self.get(field_id).model_dump(exclude={"id"})
        return await self._update(field_id, DlFieldFields.model_validate({**current, **data}))

    async def delete(self, field_id: int) -> DlFieldModel:
        found = self.get(field_id)
        if not await self._store.delete(field_id):
            raise NotFound(f"Download field '{field_id}' not found.")
        await self._changed("delete", found)
        return found

    async def _update(self, field_id: int, fields: DlFieldFields) -> DlFieldModel:
        updated = await self._store.update(field_id, self._checked(fields))
        if updated is None:
            raise NotFound(f"Download field '{field_id}' not found.")
        await self._changed("update", updated)
        return updated

    def _checked(self, fields: DlFieldFields) -> DlFieldFields:
        """The option must exist, be allowed, fit the kind, and accept the default value."""
        known = _options().get(fields.field)
        if known is None:
            raise InvalidInput(f"field: '{fields.field}' is not a yt-dlp option.")
        names, takes_value = known
        check_flag(fields.field, names, allow_unsafe=self._allow_unsafe)
        if fields.kind == "bool" and takes_value:
            raise InvalidInput(f"field: '{fields.field}' takes a value; use kind text or select.")
        if fields.kind != "bool" and not takes_value:
            raise InvalidInput(f"field: '{fields.field}' takes no value; use kind bool.")
        if takes_value and fields.value:
            parse_cli(shlex.join([fields.field, fields.value]), allow_unsafe=self._allow_unsafe)
        return fields

    async def _changed(self, action: str, found: DlFieldModel) -> None:
        await self.load()
        self._bus.emit(
            EventName.CONFIG_UPDATE, {"feature": FEATURE, "action": action, "data": found.public()}
        )
