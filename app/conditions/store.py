"""Conditions in SQLite."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

import aiosqlite

from app.conditions.models import ConditionFields, ConditionModel
from app.core.db import Database
from app.core.errors import Conflict

_COLUMNS = ("name", "filter", "cli", "extras", "enabled", "priority", "description")
_LIST = ", ".join(_COLUMNS)


class ConditionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(
        self, check: Callable[[ConditionModel], object] | None = None
    ) -> list[ConditionModel]:
        """Every condition; a row that does not load, or that ``check`` refuses, is set
        aside (moved to the quarantine table) and left out."""

        def parse(row: aiosqlite.Row) -> ConditionModel:
            condition = _model(row)
            if check is not None:
                check(condition)
            return condition

        sql = f"SELECT id, {_LIST} FROM conditions ORDER BY id"
        return await self._db.load_rows("conditions", sql, parse)

    async def create(self, fields: ConditionFields) -> ConditionModel:
        marks = ", ".join("?" for _ in _COLUMNS)
        try:
            new_id = await self._db.insert(
                f"INSERT INTO conditions ({_LIST}) VALUES ({marks})", _values(fields)
            )
        except sqlite3.IntegrityError:
            raise _name_taken(fields.name) from None
        return ConditionModel(id=new_id, **fields.model_dump())

    async def update(self, condition_id: int, fields: ConditionFields) -> ConditionModel | None:
        assignments = ", ".join(f"{column} = ?" for column in _COLUMNS)
        try:
            changed = await self._db.execute(
                f"UPDATE conditions SET {assignments} WHERE id = ?",
                (*_values(fields), condition_id),
            )
        except sqlite3.IntegrityError:
            raise _name_taken(fields.name) from None
        return ConditionModel(id=condition_id, **fields.model_dump()) if changed else None

    async def delete(self, condition_id: int) -> bool:
        return await self._db.execute("DELETE FROM conditions WHERE id = ?", (condition_id,)) > 0


def _values(fields: ConditionFields) -> tuple[object, ...]:
    return (
        fields.name,
        fields.filter,
        fields.cli,
        json.dumps(fields.extras.model_dump()),
        int(fields.enabled),
        fields.priority,
        fields.description,
    )


def _model(row: aiosqlite.Row) -> ConditionModel:
    data = dict(row)
    data["extras"] = json.loads(data["extras"])
    data["enabled"] = bool(data["enabled"])
    return ConditionModel.model_validate(data)


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A condition named '{name}' already exists.")
