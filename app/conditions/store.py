"""Conditions in SQLite: the ``conditions`` table, one column per ``ConditionFields``
field (``extras`` as JSON)."""

from __future__ import annotations

from app.conditions.models import ConditionFields, ConditionModel
from app.core.crud import CrudStore
from app.core.db import Database


class ConditionStore(CrudStore[ConditionFields, ConditionModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "conditions",
            ConditionFields,
            ConditionModel,
            conflict=lambda fields: f"A condition named '{fields.name}' already exists.",
        )
