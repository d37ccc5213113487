"""Download fields in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import aiosqlite

from app.core.db import Database
from app.core.errors import Conflict
from app.dl_fields.models import DlFieldFields, DlFieldModel

_COLUMNS = ("name", "description", "field", "kind", '"order"', "value", "icon", "extras")
_LIST = ", ".join(_COLUMNS)


class DlFieldStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(
        self, check: Callable[[DlFieldModel], object] | None = None
    ) -> list[DlFieldModel]:
        """Every download field; a row that does not load, or that ``check`` refuses, is
        set aside (moved to the quarantine table) and left out."""

        def parse(row: aiosqlite.Row) -> DlFieldModel:
            field = _model(row)
            if check is not None:
                check(field)
            return field

        sql = f'SELECT id, {_LIST} FROM dl_fields ORDER BY "order", id'
        return await self._db.load_rows("dl_fields", sql, parse)

    async def create(self, fields: DlFieldFields) -> DlFieldModel:
        marks = ", ".join("?" for _ in _COLUMNS)
        try:
            new_id = await self._db.insert(
                f"INSERT INTO dl_fields ({_LIST}) VALUES ({marks})", _values(fields)
            )
        except sqlite3.IntegrityError:
            raise _taken(fields.field) from None
        return DlFieldModel(id=new_id, **fields.model_dump())

    async def update(self, field_id: int, fields: DlFieldFields) -> DlFieldModel | None:
        assignments = ", ".join(f"{column} = ?" for column in _COLUMNS)
        try:
            changed = await self._db.execute(
                f"UPDATE dl_fields SET {assignments} WHERE id = ?", (*_values(fields), field_id)
            )
        except sqlite3.IntegrityError:
            raise _taken(fields.field) from None
        return DlFieldModel(id=field_id, **fields.model_dump()) if changed else None

    async def delete(self, field_id: int) -> bool:
        return await self._db.execute("DELETE FROM dl_fields WHERE id = ?", (field_id,)) > 0


def _values(fields: DlFieldFields) -> tuple[object, ...]:
    return (
        fields.name,
        fields.description,
        fields.field,
        fields.kind,
        fields.order,
        fields.value,
        fields.icon,
        json.dumps(fields.extras),
    )


def _model(row: aiosqlite.Row) -> DlFieldModel:
    data = dict(row)
    data["extras"] = json.loads(data["extras"])
    return DlFieldModel.model_validate(data)


def _taken(option: str) -> Conflict:
    return Conflict(f"A download field for '{option}' already exists.")
