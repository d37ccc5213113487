"""Domain events as wire events (``/ws``, socket.io) and as notification names."""

from __future__ import annotations

from typing import Any

from app.core.events import ConfigChanged, DomainEvent, LogLevel, LogMessage
from app.core.wire import Event
from app.downloads.events import (
    AddFailed,
    AddRefused,
    AddSkipped,
    ItemAdded,
    ItemCancelled,
    ItemCompleted,
    ItemDeleted,
    ItemFailed,
    ItemPaused,
    ItemProgress,
    ItemResumed,
    ItemSkipped,
    ItemStarted,
    ItemUpdated,
    QueuePaused,
    QueueResumed,
)
from app.downloads.models import Item, Status
from app.notifications.events import (
    NotificationName,
    NotificationTest,
    TaskDispatched,
    notices,
)
from app.realtime.wire import to_wire


def wire(event: DomainEvent) -> list[tuple[str, str | None, str | None, Any]]:
    return [(e.event.value, e.title, e.message, e.data) for e in to_wire(event)]


def video(**fields: Any) -> Item:
    return Item(url="https://site.example/v", title="Clip", preset="p", **fields)


def test_an_added_item_is_item_added_then_item_status() -> None:
    item = video(status=Status.PENDING, conditions=["c"])
    message = "Item 'Clip' has been added to the download queue."
    status = {"status": "ok", "preset": "p", "_id": item.uid, "conditions": ["c"]}
    assert wire(ItemAdded(item)) == [
        ("item_added", "Item Added", message, item.public()),
        ("item_status", None, None, status),
    ]


def test_adds_that_were_not_queued() -> None:
    error = {"status": "error", "preset": "p", "msg": "nope"}
    assert wire(AddRefused("https://x.example", "p", "nope")) == [
        ("item_status", None, None, error)
    ]
    assert wire(AddFailed("https://x.example", "p", "nope")) == [
        ("log_error", "Add failed", "nope", {"url": "https://x.example"}),
        ("item_status", None, None, error),
    ]
    item = video(status=Status.SKIP, msg="archived")
    moved = {"to": "history", "preset": "p", "item": item.public(), "_id": item.uid}
    assert wire(AddSkipped(item, "archived")) == [
        ("item_moved", "Skipped", "'Clip': archived", moved)
    ]


def test_changes_are_item_updated_with_the_item_as_it_was() -> None:
    item = video(status=Status.DOWNLOADING, percent=10.0)
    for kind in (ItemStarted, ItemProgress, ItemUpdated, ItemPaused, ItemResumed):
        event = kind(item)
        item.percent = 50.0  # later changes do not reach an event already published
        assert wire(event) == [("item_updated", None, None, {**item.public(), "percent": 10.0})]
        item.percent = 10.0


def test_an_ended_item_is_item_moved_then_a_last_item_updated() -> None:
    done = video(status=Status.FINISHED, filename="Clip.mp4")
    moved = {"to": "history", "from": "queue", "preset": "p", "item": done.public()}
    assert wire(ItemCompleted(done)) == [
        ("item_moved", None, None, {**moved, "_id": done.uid}),
        ("item_updated", "Download Completed", "Download 'Clip' has completed.", done.public()),
    ]
    failed = video(status=Status.ERROR, error="boom")
    assert wire(ItemFailed(failed))[1][1:3] == ("Download Failed", "'Clip': boom")
    skipped = video(status=Status.SKIP)
    assert [w[:3] for w in wire(ItemSkipped(skipped))] == [
        ("item_moved", None, None),
        ("item_updated", None, None),
    ]
    playlist = video(status=Status.FINISHED, is_playlist=True)
    assert wire(ItemCompleted(playlist))[1][1:3] == (None, None)


def test_a_cancelled_item_is_item_cancelled_first() -> None:
    item = video(status=Status.CANCELLED)
    cancelled = ("item_cancelled", "Download Cancelled", "Download 'Clip' has been cancelled.")
    assert [w[:3] for w in wire(ItemCancelled(item))] == [
        (*cancelled,),
        ("item_moved", None, None),
        ("item_updated", None, None),
    ]


def test_deletes_pauses_config_and_logs() -> None:
    item = video(status=Status.FINISHED)
    assert wire(ItemDeleted(item)) == [("item_deleted", None, None, item.public())]
    paused = "Non-active downloads have been paused."
    assert wire(QueuePaused(at=5.0)) == [("paused", "Paused", paused, {"paused": True, "at": 5.0})]
    resumed = {"paused": False, "at": 6.0}
    assert wire(QueueResumed(at=6.0)) == [("resumed", "Resumed", "Resumed all downloads.", resumed)]
    change = {"feature": "presets", "action": "create", "data": {"id": 1}}
    assert wire(ConfigChanged("presets", "create", {"id": 1})) == [
        ("config_update", None, None, change)
    ]
    for level in LogLevel:
        assert wire(LogMessage(level, "T", "M")) == [(f"log_{level}", "T", "M", {})]


def test_events_outside_the_seed_say_nothing_on_the_wire() -> None:
    assert to_wire(TaskDispatched(1, "daily", "https://x.example", "p")) == ()
    assert to_wire(NotificationTest()) == ()


def test_a_wire_event_is_encoded_once() -> None:
    [event, _] = to_wire(ItemAdded(video()))
    assert isinstance(event, Event)
    assert event.frame is event.frame


EXAMPLES: list[DomainEvent] = [
    ItemAdded(video()),
    ItemCompleted(video(status=Status.FINISHED)),
    ItemCancelled(video(status=Status.CANCELLED)),
    ItemDeleted(video()),
    ItemPaused(video()),
    ItemResumed(video()),
    QueuePaused(),
    QueueResumed(),
    AddFailed("https://x.example", "p", "nope"),
    *(LogMessage(level, "T", "M") for level in LogLevel),
    TaskDispatched(1, "daily", "https://x.example", "p"),
    NotificationTest(),
]


def test_every_notification_name_has_a_domain_event() -> None:
    produced = {notice.name for event in EXAMPLES for notice in notices(event)}
    assert produced == set(NotificationName)


def test_notices_carry_the_preset_for_target_filters() -> None:
    item = video(status=Status.CANCELLED)
    found = notices(ItemCancelled(item))
    assert [n.name for n in found] == ["item_cancelled", "item_moved"]
    assert {n.preset for n in found} == {"p"}
    assert found[0].data == item.public()
    assert notices(ItemProgress(video())) == []
    assert notices(ConfigChanged("presets", "create", {})) == []


def test_the_listed_names_in_the_seeds_order() -> None:
    assert [name.value for name in NotificationName] == [
        "test",
        "item_added",
        "item_completed",
        "item_cancelled",
        "item_deleted",
        "item_paused",
        "item_resumed",
        "item_moved",
        "paused",
        "resumed",
        "log_info",
        "log_success",
        "log_warning",
        "log_error",
        "task_dispatched",
    ]
