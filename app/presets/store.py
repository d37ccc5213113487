"""User presets in SQLite: the ``presets`` table, one column per ``PresetFields`` field."""

from __future__ import annotations

from app.core.crud import CrudStore
from app.core.db import Database
from app.presets.models import PresetFields, PresetModel


class PresetStore(CrudStore[PresetFields, PresetModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "presets",
            PresetFields,
            PresetModel,
            conflict=lambda fields: f"A preset named '{fields.name}' already exists.",
        )
