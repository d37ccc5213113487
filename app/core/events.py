"""The in-process event bus: services publish domain events, outlets subscribe.

A domain event is a typed object that says what happened (an item was added, a download
failed, the queue was paused); it knows nothing of wire formats. Each outlet translates
it into its own form: ``/ws`` and socket.io into the seed's Event envelope
(``app/realtime/wire.py``), notifications into their event names
(``app/notifications/events.py``). The download events live in ``app/downloads/events.py``.

A subscriber is a plain callable that must not block (outlets put what they need on their
own bounded queues), so one slow outlet never delays the publisher or the others.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Generic, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, eq=False)
class DomainEvent:
    """Something that happened, at ``at`` (epoch seconds)."""

    at: float = field(default_factory=time.time, kw_only=True)


@dataclass(frozen=True, eq=False)
class ConfigChanged(DomainEvent):
    """A preset, condition, download field... was created, updated, deleted or replaced."""

    feature: str
    action: str
    data: dict[str, Any]


class LogLevel(StrEnum):
    INFO = "info"
    SUCCESS = "success"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, eq=False)
class LogMessage(DomainEvent):
    """A message for the people watching (a toast), not a line in the server log."""

    level: LogLevel
    title: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)


class Fanout(Generic[T]):
    """Subscribers called in turn with each published value; one failing spoils nothing."""

    def __init__(self) -> None:
        self._subscribers: list[Callable[[T], None]] = []

    def subscribe(self, subscriber: Callable[[T], None]) -> Callable[[], None]:
        """Adds a subscriber; returns the function that removes it."""
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def publish(self, value: T) -> None:
        for subscriber in tuple(self._subscribers):
            try:
                subscriber(value)
            except Exception:
                # An outlet's bug must not stop the others or the service that published.
                log.exception("event subscriber failed on %s", type(value).__name__)


class EventBus(Fanout[DomainEvent]):
    """The one bus of domain events; services publish, outlets subscribe."""
