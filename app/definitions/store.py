"""Task definitions in SQLite: the ``task_definitions`` table, ``definition`` as JSON."""

from __future__ import annotations

from app.core.crud import CrudStore
from app.core.db import Database
from app.definitions.models import DefinitionFields, DefinitionModel


class DefinitionStore(CrudStore[DefinitionFields, DefinitionModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "task_definitions",
            DefinitionFields,
            DefinitionModel,
            conflict=lambda fields: f"A task definition named '{fields.name}' already exists.",
            order_by=("id",),
        )
