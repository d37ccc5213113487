"""Notification targets: the stored list (the delivery process matches notices to them)."""

from __future__ import annotations

from app.core.crud import CrudService
from app.notifications.models import NotificationFields, NotificationModel


class NotificationService(CrudService[NotificationFields, NotificationModel]):
    feature = "notifications"
    noun = "Notification target"

    version = 0  # changes with every change of the list (the delivery process's copy)
    _any_enabled = False

    def keep(self, records: list[NotificationModel]) -> None:
        super().keep(records)
        self._any_enabled = any(r.enabled for r in records)
        self.version += 1

    @property
    def any_enabled(self) -> bool:
        """Cheap check for the bus subscriber: with no enabled target, nothing is built."""
        return self._any_enabled

    def enabled(self) -> list[NotificationModel]:
        return [r for r in self.all() if r.enabled]
