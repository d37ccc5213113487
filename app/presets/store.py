"""User presets in SQLite."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import aiosqlite

from app.core.db import Database
from app.core.errors import Conflict
from app.presets.models import PresetFields, PresetModel

_COLUMNS = "name, description, folder, template, cookies, cli, download_archive, priority"


class PresetStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def all(self, check: Callable[[PresetModel], object] | None = None) -> list[PresetModel]:
        """Every user preset; a row that does not load, or that ``check`` refuses, is set
        aside (moved to the quarantine table) and left out."""

        def parse(row: aiosqlite.Row) -> PresetModel:
            preset = _model(row)
            if check is not None:
                check(preset)
            return preset

        sql = f"SELECT id, {_COLUMNS} FROM presets ORDER BY id"
        return await self._db.load_rows("presets", sql, parse)

    async def create(self, fields: PresetFields) -> PresetModel:
        try:
            new_id = await self._db.insert(
                f"INSERT INTO presets ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                _values(fields),
            )
        except sqlite3.IntegrityError:
            raise _name_taken(fields.name) from None
        return PresetModel(id=new_id, **fields.model_dump())

    async def update(self, preset_id: int, fields: PresetFields) -> PresetModel | None:
        assignments = ", ".join(f"{column.strip()} = ?" for column in _COLUMNS.split(","))
        try:
            changed = await self._db.execute(
                f"UPDATE presets SET {assignments} WHERE id = ?", (*_values(fields), preset_id)
            )
        except sqlite3.IntegrityError:
            raise _name_taken(fields.name) from None
        return PresetModel(id=preset_id, **fields.model_dump()) if changed else None

    async def delete(self, preset_id: int) -> bool:
        return await self._db.execute("DELETE FROM presets WHERE id = ?", (preset_id,)) > 0


def _values(fields: PresetFields) -> tuple[object, ...]:
    return (
        fields.name,
        fields.description,
        fields.folder,
        fields.template,
        fields.cookies,
        fields.cli,
        fields.download_archive,
        fields.priority,
    )


def _model(row: aiosqlite.Row) -> PresetModel:
    return PresetModel.model_validate(dict(row))


def _name_taken(name: str) -> Conflict:
    return Conflict(f"A preset named '{name}' already exists.")
