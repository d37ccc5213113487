"""Notification event names, and which domain events produce them: written once, here.

The notifications feature subscribes to the bus and asks ``notices(event)`` what to send;
it never translates events itself. The names are the ones ``GET /api/notifications/events/``
lists, in that order. A domain event may give several notices (a cancelled item is
``item_cancelled`` and ``item_moved``), and most give none (progress is never notified).

``TaskDispatched`` and ``NotificationTest`` are declared here for the features that will
publish them (tasks, ``POST /api/notifications/test``); nothing publishes them yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.events import DomainEvent, LogMessage
from app.downloads.events import (
    AddFailed,
    AddSkipped,
    ItemAdded,
    ItemCancelled,
    ItemCompleted,
    ItemDeleted,
    ItemEnded,
    ItemEvent,
    ItemPaused,
    ItemResumed,
    QueuePaused,
    QueueResumed,
)


class NotificationName(StrEnum):
    TEST = "test"
    ITEM_ADDED = "item_added"
    ITEM_COMPLETED = "item_completed"
    ITEM_CANCELLED = "item_cancelled"
    ITEM_DELETED = "item_deleted"
    ITEM_PAUSED = "item_paused"
    ITEM_RESUMED = "item_resumed"
    ITEM_MOVED = "item_moved"
    PAUSED = "paused"
    RESUMED = "resumed"
    LOG_INFO = "log_info"
    LOG_SUCCESS = "log_success"
    LOG_WARNING = "log_warning"
    LOG_ERROR = "log_error"
    TASK_DISPATCHED = "task_dispatched"


@dataclass(frozen=True, eq=False)
class TaskDispatched(DomainEvent):
    """A scheduled task handed its URL to the queue."""

    task_id: int
    name: str
    url: str
    preset: str


@dataclass(frozen=True, eq=False)
class NotificationTest(DomainEvent):
    """Someone asked for a test notification to every target."""


@dataclass(frozen=True, slots=True)
class Notice:
    """One notification to send: targets filter on ``name`` and, when set, ``preset``."""

    name: NotificationName
    title: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)
    preset: str | None = None


N = NotificationName

# Per item event: (name, title, message with {label}); an ended item is also item_moved.
_ITEM_NOTICES: dict[type[ItemEvent], tuple[N, str, str]] = {
    ItemAdded: (N.ITEM_ADDED, "Item Added", "Item '{label}' has been added to the download queue."),
    ItemCompleted: (N.ITEM_COMPLETED, "Download Completed", "Download '{label}' has completed."),
    ItemCancelled: (
        N.ITEM_CANCELLED,
        "Download Cancelled",
        "Download '{label}' has been cancelled.",
    ),
    ItemDeleted: (N.ITEM_DELETED, "Item Deleted", "Item '{label}' has been deleted."),
    ItemPaused: (N.ITEM_PAUSED, "Item Paused", "Item '{label}' has been paused."),
    ItemResumed: (N.ITEM_RESUMED, "Item Resumed", "Item '{label}' has been resumed."),
}


Wanted = Callable[[NotificationName, str | None], bool]


def _everything(name: NotificationName, preset: str | None) -> bool:
    return True


def notices(event: DomainEvent, wanted: Wanted = _everything) -> list[Notice]:
    """What the notification targets hear of ``event``: only the notices ``wanted`` (by
    name and preset) are built, an item's data not at all when none is."""
    if isinstance(event, ItemEvent):
        return _item_notices(event, wanted)
    return [n for n in _other_notices(event) if wanted(n.name, n.preset)]


def _other_notices(event: DomainEvent) -> list[Notice]:
    match event:
        case QueuePaused():
            return [Notice(N.PAUSED, "Paused", "Non-active downloads have been paused.")]
        case QueueResumed():
            return [Notice(N.RESUMED, "Resumed", "Resumed all downloads.")]
        case AddFailed(url=url, preset=preset, why=why):
            return [Notice(N.LOG_ERROR, "Add failed", why, {"url": url}, preset)]
        case LogMessage(level=level, title=title, message=message, data=data):
            return [Notice(N(f"log_{level}"), title, message, data)]
        case TaskDispatched(task_id=task_id, name=name, url=url, preset=preset):
            data = {"id": task_id, "name": name, "url": url, "preset": preset}
            message = f"Task '{name}' queued '{url}'."
            return [Notice(N.TASK_DISPATCHED, "Task Dispatched", message, data, preset)]
        case NotificationTest():
            return [Notice(N.TEST, "Test Notification", "This is a test notification.")]
    return []


def _item_notices(event: ItemEvent, wanted: Wanted) -> list[Notice]:
    known = _ITEM_NOTICES.get(type(event))
    ended = isinstance(event, ItemEnded | AddSkipped)
    if known is None and not ended:
        return []  # progress and other updates: nothing to tell, nothing to serialise
    item = event.item
    if known is not None and not wanted(known[0], item.preset):
        known = None
    ended = ended and wanted(N.ITEM_MOVED, item.preset)
    if known is None and not ended:
        return []  # no target listens: nothing to serialise
    data = item.public()
    found = []
    if known is not None:
        name, title, message = known
        found.append(Notice(name, title, message.format(label=item.label), data, item.preset))
    if ended:
        message = f"Item '{item.label}' moved to history ({item.status})."
        found.append(Notice(N.ITEM_MOVED, "Item Moved", message, data, item.preset))
    return found
