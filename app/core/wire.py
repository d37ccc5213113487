"""The seed's Event object: the envelope in which outlets send an event to clients.

``/ws`` and socket.io send it as it is; it is built from domain events by
``app/realtime/wire.py``, once per event, and encoded to JSON once, lazily, so the same
bytes are shared by every client.
"""

from __future__ import annotations

import functools
import json
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any


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
    """One wire event: the seed's Event object (the envelope) around a payload."""

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
