"""Domain events as the seed's wire events: what ``/ws`` and socket.io clients receive.

The translation is written once, here. Each domain event becomes its wire events once, not
once per client, and the hub and socket.io share them (each encodes a wire event once).
One domain event may say several things on the wire: an added item is ``item_added`` and
then ``item_status``; an item that ended is ``item_moved`` and a last ``item_updated``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.core.events import ConfigChanged, DomainEvent, EventBus, Fanout, LogMessage
from app.core.wire import Event, EventName
from app.downloads.events import (
    AddFailed,
    AddRefused,
    AddSkipped,
    ItemAdded,
    ItemCancelled,
    ItemDeleted,
    ItemEnded,
    ItemEvent,
    ItemReordered,
    QueuePaused,
    QueueResumed,
)
from app.downloads.models import Item, Status


class WireFeed(Fanout[Event]):
    """The bus's domain events, translated, for the outlets that speak the seed's events."""

    def __init__(self, bus: EventBus) -> None:
        super().__init__()
        self._bus = bus
        self._unsubscribe: Callable[[], None] | None = None

    def open(self) -> None:
        self._unsubscribe = self._bus.subscribe(self._translate)

    def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def emit(
        self,
        name: EventName,
        data: Any = None,
        *,
        title: str | None = None,
        message: str | None = None,
    ) -> Event:
        """Sends one wire event to every client as it is (tests use it to drive outlets)."""
        event = Event(name, {} if data is None else data, title=title, message=message)
        self.publish(event)
        return event

    def _translate(self, event: DomainEvent) -> None:
        for wire in to_wire(event):
            self.publish(wire)


def to_wire(event: DomainEvent) -> tuple[Event, ...]:
    """The wire events that tell clients about ``event``, in order; none for some events."""
    match event:
        case ItemAdded(item=item):
            return _added(item)
        case AddFailed(url=url, preset=preset, why=why, uid=uid):
            log = Event(EventName.LOG_ERROR, {"url": url}, title="Add failed", message=why)
            return log, _add_error(preset, why, uid)
        case AddRefused(preset=preset, why=why, uid=uid):
            return (_add_error(preset, why, uid),)
        case AddSkipped(item=item, why=why):
            data = {"to": "history", "preset": item.preset, "item": item.public(), "_id": item.uid}
            message = f"'{item.label}': {why}"
            return (Event(EventName.ITEM_MOVED, data, title="Skipped", message=message),)
        case ItemEnded(item=item):
            return _ended(event)
        case ItemDeleted(item=item):
            return (Event(EventName.ITEM_DELETED, item.public()),)
        case ItemReordered(item=item, to=to):
            # Within the queue: clients that test ``to === "history"`` ignore it.
            data = {"to": "queue", "from": "queue", "position": to, "preset": item.preset}
            return (Event(EventName.ITEM_MOVED, data | {"item": item.public(), "_id": item.uid}),)
        case ItemEvent(item=item):  # started, progress, paused, resumed, any other change
            return (Event(EventName.ITEM_UPDATED, item.public()),)
        case QueuePaused(at=at):
            message = "Non-active downloads have been paused."
            return (_pause(EventName.PAUSED, at, "Paused", message),)
        case QueueResumed(at=at):
            return (_pause(EventName.RESUMED, at, "Resumed", "Resumed all downloads."),)
        case ConfigChanged(feature=feature, action=action, data=data):
            payload = {"feature": feature, "action": action, "data": data}
            return (Event(EventName.CONFIG_UPDATE, payload),)
        case LogMessage(level=level, title=title, message=message, data=data):
            return (Event(EventName(f"log_{level}"), data, title=title, message=message),)
    return ()


def _added(item: Item) -> tuple[Event, ...]:
    message = f"Item '{item.label}' has been added to the download queue."
    status = {"status": "ok", "preset": item.preset, "_id": item.uid, "conditions": item.conditions}
    return (
        Event(EventName.ITEM_ADDED, item.public(), title="Item Added", message=message),
        Event(EventName.ITEM_STATUS, status),
    )


def _pause(name: EventName, at: float, title: str, message: str) -> Event:
    paused = name == EventName.PAUSED
    return Event(name, {"paused": paused, "at": at}, title=title, message=message)


def _add_error(preset: str, why: str, uid: str) -> Event:
    data = {"status": "error", "preset": preset, "msg": why}
    # The add's answer named the item (``preparing``): this says which one was not queued.
    return Event(EventName.ITEM_STATUS, data | {"_id": uid} if uid else data)


def _ended(event: ItemEnded) -> tuple[Event, ...]:
    item = event.item
    data = item.public()
    moved = {"to": "history", "from": "queue", "preset": item.preset, "item": data, "_id": item.uid}
    events = [
        Event(EventName.ITEM_MOVED, moved),
        Event(EventName.ITEM_UPDATED, data, **_final_words(item)),
    ]
    if isinstance(event, ItemCancelled):
        message = f"Download '{item.label}' has been cancelled."
        title = "Download Cancelled"
        events.insert(0, Event(EventName.ITEM_CANCELLED, data, title=title, message=message))
    return tuple(events)


def _final_words(item: Item) -> dict[str, str]:
    if item.status == Status.FINISHED and not item.is_playlist:
        return {"title": "Download Completed", "message": f"Download '{item.label}' has completed."}
    if item.status == Status.ERROR:
        return {"title": "Download Failed", "message": f"'{item.label}': {item.error}"}
    return {}
