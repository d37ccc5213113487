"""Notification targets in SQLite: the ``notifications`` table, ``on``, ``presets`` and
``request`` as JSON."""

from __future__ import annotations

from app.core.crud import CrudStore
from app.core.db import Database
from app.notifications.models import NotificationFields, NotificationModel


class NotificationStore(CrudStore[NotificationFields, NotificationModel]):
    def __init__(self, db: Database) -> None:
        super().__init__(
            db,
            "notifications",
            NotificationFields,
            NotificationModel,
            conflict=lambda fields: f"A notification target named '{fields.name}' already exists.",
        )
