"""Notification targets: the stored list, and which targets a notice goes to."""

from __future__ import annotations

from app.core.crud import CrudService
from app.notifications.events import Notice
from app.notifications.models import NotificationFields, NotificationModel


class NotificationService(CrudService[NotificationFields, NotificationModel]):
    feature = "notifications"
    noun = "Notification target"

    def keep(self, records: list[NotificationModel]) -> None:
        super().keep(records)
        self._any_enabled = any(r.enabled for r in records)
        self.version = getattr(self, "version", 0) + 1

    version = 0  # changes with every change of the list (the delivery process's copy)

    @property
    def any_enabled(self) -> bool:
        """Cheap check for the bus subscriber: with no enabled target, nothing is built."""
        return getattr(self, "_any_enabled", False)

    def enabled(self) -> list[NotificationModel]:
        return [r for r in self.all() if r.enabled]

    def targets_of(self, notice: Notice) -> list[NotificationModel]:
        return [r for r in self.all() if r.wants(notice.name, notice.preset)]

    def current(self, record_id: int) -> NotificationModel | None:
        """The target as it is now, or None once it was deleted."""
        return next((r for r in self.all() if r.id == record_id), None)
