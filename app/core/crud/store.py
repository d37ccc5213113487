"""One table per record type, its columns the fields of the record's pydantic model.

The SQL is built once, from names in code only: the table name given by the feature and
the model's own field names, each checked to be a plain identifier and quoted. Values
always travel as parameters. A field whose type is not a scalar (a dict, a list, a nested
model) is stored as JSON text.
"""

from __future__ import annotations

import json
import re
import sqlite3
import types
from collections.abc import Callable, Iterable
from typing import Any, Generic, Literal, TypeVar, Union, get_args, get_origin

import aiosqlite
from pydantic import BaseModel

from app.core.crud.model import CrudModel
from app.core.db import Database
from app.core.errors import Conflict

F = TypeVar("F", bound=BaseModel)
M = TypeVar("M", bound=CrudModel)

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*\Z")
_SCALARS: tuple[object, ...] = (str, int, float, bool, type(None))


def quoted(name: str) -> str:
    """``name`` as an SQL identifier; anything but a plain lower-case name is refused."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"{name!r} is not a plain column or table name")
    return f'"{name}"'


def is_scalar(annotation: Any) -> bool:
    """Whether SQLite stores a value of this type as is (else it is JSON text)."""
    origin = get_origin(annotation)
    if origin is Literal:
        return True
    if origin in (Union, types.UnionType):
        return all(is_scalar(arg) for arg in get_args(annotation))
    return annotation in _SCALARS


class CrudStore(Generic[F, M]):
    """``fields`` is what clients may write (the columns); ``model`` is a stored record
    (``fields`` plus ``id``); ``conflict`` words the 409 for a UNIQUE column."""

    def __init__(
        self,
        db: Database,
        table: str,
        fields: type[F],
        model: type[M],
        *,
        conflict: Callable[[F], str],
        order_by: Iterable[str] = ("id",),
    ) -> None:
        self._db = db
        self.table = table
        self.fields = fields
        self.model = model
        self._conflict = conflict
        self.columns = tuple(fields.model_fields)
        self._json = frozenset(
            name for name, info in fields.model_fields.items() if not is_scalar(info.annotation)
        )
        names = ", ".join(quoted(c) for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        assignments = ", ".join(f"{quoted(c)} = ?" for c in self.columns)
        unknown = set(order_by) - {"id", *self.columns}
        if unknown:
            raise ValueError(f"cannot order {table} by {sorted(unknown)}: not fields")
        order = ", ".join(quoted(c) for c in order_by)
        self._select = f"SELECT id, {names} FROM {quoted(table)} ORDER BY {order}"
        self._insert = f"INSERT INTO {quoted(table)} ({names}) VALUES ({marks})"
        self._update = f"UPDATE {quoted(table)} SET {assignments} WHERE id = ?"
        self._delete = f"DELETE FROM {quoted(table)} WHERE id = ?"

    async def all(self, check: Callable[[M], object] | None = None) -> list[M]:
        """Every record; a row that does not load, or that ``check`` refuses, is set aside
        (moved to the quarantine table) and left out."""

        def parse(row: aiosqlite.Row) -> M:
            record = self.record(row)
            if check is not None:
                check(record)
            return record

        return await self._db.load_rows(self.table, self._select, parse)

    async def create(self, fields: F) -> M:
        try:
            new_id = await self._db.insert(self._insert, self.values(fields))
        except sqlite3.IntegrityError:
            raise Conflict(self._conflict(fields)) from None
        return self._built(new_id, fields)

    async def update(self, record_id: int, fields: F) -> M | None:
        try:
            changed = await self._db.execute(self._update, (*self.values(fields), record_id))
        except sqlite3.IntegrityError:
            raise Conflict(self._conflict(fields)) from None
        return self._built(record_id, fields) if changed else None

    async def delete(self, record_id: int) -> bool:
        return await self._db.execute(self._delete, (record_id,)) > 0

    def values(self, fields: F) -> tuple[object, ...]:
        data = fields.model_dump(mode="json")
        return tuple(json.dumps(data[c]) if c in self._json else data[c] for c in self.columns)

    def record(self, row: aiosqlite.Row) -> M:
        data = dict(row)
        for column in self._json:
            data[column] = json.loads(data[column])
        return self.model.model_validate(data)

    def fields_of(self, record: M) -> F:
        """The writable part of a stored record, as a create or replace would send it."""
        return self.fields.model_validate(record.model_dump(include=set(self.columns)))

    def _built(self, record_id: int, fields: F) -> M:
        return self.model.model_validate({**fields.model_dump(), "id": record_id})
