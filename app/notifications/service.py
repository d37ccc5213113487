"""Notification targets: the stored list (the delivery process matches notices to them)."""

from __future__ import annotations

from app.core.crud import CrudService
from app.notifications.events import NotificationName
from app.notifications.models import NotificationFields, NotificationModel


class NotificationService(CrudService[NotificationFields, NotificationModel]):
    feature = "notifications"
    noun = "Notification target"

    version = 0  # changes with every change of the list (the delivery process's copy)
    _any_enabled = False
    _enabled: tuple[NotificationModel, ...] = ()

    def keep(self, records: list[NotificationModel]) -> None:
        super().keep(records)
        self._enabled = tuple(r for r in records if r.enabled)
        self._any_enabled = bool(self._enabled)
        self.version += 1

    def wanted(self, name: NotificationName, preset: str | None) -> bool:
        """Whether any target would send this notice (its ``on`` and ``presets``): the
        subscriber asks before it builds a notice's data."""
        return any(target.wants(name, preset) for target in self._enabled)

    @property
    def any_enabled(self) -> bool:
        """Cheap check for the bus subscriber: with no enabled target, nothing is built."""
        return self._any_enabled

    def enabled(self) -> list[NotificationModel]:
        return [r for r in self.all() if r.enabled]
