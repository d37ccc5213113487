"""The in-process event bus: services publish typed events, outlets subscribe.

The bus knows nothing of WebSockets or notifications. A subscriber is a plain callable that
must not block (outlets put the event on their own bounded queues), so one slow outlet never
delays the publisher or the others. Each event is encoded to JSON once, lazily, and the
same bytes are shared by every outlet that sends it.
"""

from __future__ import annotations

import functools
import json
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

log = logging.getLogger(__name__)


class EventName(StrEnum):
    CONNECTED = "connected"
    ITEM_ADDED = "item_added"
    ITEM_UPDATED = "item_updated"
    ITEM_CANCELLED = "item_cancelled"
    ITEM_DELETED = "item_deleted"
    ITEM_MOVED = "item_moved"
    ITEM_STATUS = "item_status"
    PAUSED = "paused"
    RESUMED = "resumed"
    CONFIG_UPDATE = "config_update"
    LOG_INFO = "log_info"
    LOG_SUCCESS = "log_success"
    LOG_WARNING = "log_warning"
    LOG_ERROR = "log_error"


def _event_id() -> str:
    return secrets.token_hex(6)


def _now_iso() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True, eq=False)
class Event:
    """One event: the seed's Event object (the envelope) around a payload."""

    event: EventName
    data: Any = field(default_factory=dict)
    title: str | None = None
    message: str | None = None
    id: str = field(default_factory=_event_id)
    created_at: str = field(default_factory=_now_iso)

    def envelope(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "created_at": self.created_at,
            "event": self.event.value,
            "title": self.title,
            "message": self.message,
            "data": self.data,
        }

    @functools.cached_property
    def frame(self) -> str:
        """The wire frame ``{"event": E, "data": envelope}``, encoded once per event."""
        return json.dumps({"event": self.event.value, "data": self.envelope()}, default=str)

    @property
    def item_id(self) -> str | None:
        """The item an event is about, so outlets can coalesce progress per item."""
        data = self.data
        if isinstance(data, dict):
            item = data.get("item", data)
            uid = item.get("_id") if isinstance(item, dict) else None
            if isinstance(uid, str):
                return uid
        return None


Subscriber = Callable[[Event], None]


class EventBus:
    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        """Adds a subscriber; returns the function that removes it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, event: Event) -> None:
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                # An outlet's bug must not stop the others or the service that published.
                log.exception("event subscriber failed on %s", event.event)

    def emit(
        self,
        name: EventName,
        data: Any = None,
        *,
        title: str | None = None,
        message: str | None = None,
    ) -> Event:
        event = Event(name, {} if data is None else data, title=title, message=message)
        self.publish(event)
        return event
