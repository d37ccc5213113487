"""Download fields in SQLite: the ``dl_fields`` table, one column per ``DlFieldFields``
field (``extras`` as JSON), listed by ``order``."""

from __future__ import annotations

from app.core.crud import CrudStore
from app.core.db import Database
from app.dl_fields.models import DlFieldFields, DlFieldModel


class DlFieldStore(CrudStore[DlFieldFields, DlFieldModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "dl_fields",
            DlFieldFields,
            DlFieldModel,
            conflict=lambda fields: f"A download field for '{fields.field}' already exists.",
            order_by=("order", "id"),
        )
