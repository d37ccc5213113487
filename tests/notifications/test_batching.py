"""The outbox's batches: every notice reaches every target that wants it, in order; a
target whose ``on`` or ``presets`` leave it out gets nothing, and a notice nobody wants is
never built (no delivery process is even started for it)."""

from __future__ import annotations

import os
import signal
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path

import pytest

from app.core.db import Database
from app.core.events import EventBus
from app.downloads.events import ItemAdded, ItemCompleted, ItemUpdated
from app.downloads.models import Item, Status
from app.notifications.events import NotificationName, notices
from app.notifications.lifecycle import running
from app.sandbox.network import NetworkPolicy
from tests.notifications.conftest import MakeReceiver
from tests.notifications.test_courier import _pid
from tests.notifications.test_delivery import FAST, Running, log_error
from tests.notifications.test_notifications_api import target

# Exactly once, in order: a receiver slower than a short timeout (a loaded machine) would
# get a retry of what it already had, which is delivery working as designed.
PATIENT = replace(FAST, timeout=30.0)


@pytest.fixture
async def notifications(tmp_path: Path) -> AsyncIterator[Running]:
    db = await Database.open(tmp_path / "db.sqlite")
    bus = EventBus()
    try:
        async with running(
            db, bus, NetworkPolicy(allow_internal=True), PATIENT, restart_delay=0.05
        ) as (
            t,
            n,
        ):
            yield t, n, bus
    finally:
        await db.close()


def _item(n: int, preset: str = "default") -> Item:
    return Item(url=f"https://example.com/{n}", title=f"video {n}", preset=preset)


async def test_batched_notices_reach_every_matching_target_in_order(
    notifications: Running,
    make_receiver: MakeReceiver,
) -> None:
    targets, notifier, bus = notifications
    receivers = []
    for n in range(3):
        receiver, base = await make_receiver()
        await targets.create(target(f"{base}/t{n}", name=f"t{n}"))
        receivers.append(receiver)
    for n in range(40):  # many in one go: they travel in batches
        bus.publish(log_error(n))
    items = [_item(n) for n in range(5)]
    for item in items:
        bus.publish(ItemAdded(item))
        item.status = Status.FINISHED
        bus.publish(ItemCompleted(item))
    expected = [("log_error", f"error {n}") for n in range(40)]
    for item in items:
        expected += [
            ("item_added", f"Item '{item.title}' has been added to the download queue."),
            ("item_completed", f"Download '{item.title}' has completed."),
            ("item_moved", f"Item '{item.title}' moved to history (finished)."),
        ]
    for receiver in receivers:
        got = await receiver.wait_for(len(expected), timeout=60)
        assert [(g.json["event"], g.json["message"]) for g in got] == expected
    await notifier.settled()
    assert all(len(r.got) == len(expected) for r in receivers)  # each once


async def test_a_target_left_out_by_on_or_presets_gets_nothing(
    notifications: Running,
    make_receiver: MakeReceiver,
) -> None:
    targets, notifier, bus = notifications
    everything, base = await make_receiver()
    deletions, deletions_base = await make_receiver()
    audio, audio_base = await make_receiver()
    await targets.create(target(base, name="everything"))
    await targets.create(target(deletions_base, name="deletions", on=["item_deleted"]))
    await targets.create(target(audio_base, name="audio", presets=["audio"]))
    item = _item(1)  # preset "default"
    bus.publish(ItemAdded(item))
    item.status = Status.FINISHED
    bus.publish(ItemCompleted(item))
    got = await everything.wait_for(3, timeout=60)
    await notifier.settled()
    assert [g.json["event"] for g in got] == ["item_added", "item_completed", "item_moved"]
    assert deletions.got == [] and audio.got == []


async def test_a_notice_no_target_wants_is_never_built(notifications: Running) -> None:
    """A target only for deletions: adds, progress and completions build nothing, so the
    outbox stays empty and no delivery process is started for them."""
    targets, notifier, bus = notifications
    await targets.create(target("http://127.0.0.1:9/", on=["item_deleted"]))
    item = _item(1)
    bus.publish(ItemAdded(item))
    bus.publish(ItemUpdated(item))
    item.status = Status.FINISHED
    bus.publish(ItemCompleted(item))
    bus.publish(log_error(1))
    await notifier.settled()
    assert notifier.courier.pid is None


def test_notices_builds_only_what_is_wanted() -> None:
    item = _item(1, preset="audio")
    item.status = Status.FINISHED
    event = ItemCompleted(item)
    names = [n.name for n in notices(event)]
    assert names == [NotificationName.ITEM_COMPLETED, NotificationName.ITEM_MOVED]
    assert notices(event, lambda name, preset: False) == []
    moved_only = notices(event, lambda name, preset: name is NotificationName.ITEM_MOVED)
    assert [n.name for n in moved_only] == [NotificationName.ITEM_MOVED]
    assert notices(event, lambda name, preset: preset == "video") == []
    assert notices(log_error(1), lambda name, preset: False) == []


async def test_a_batch_the_process_may_not_have_taken_goes_to_the_next_one(
    notifications: Running,
    make_receiver: MakeReceiver,
) -> None:
    """Killed with notices on their way: the next process has the targets and gets every
    notice (at least once), in order."""
    targets, notifier, bus = notifications
    receiver, base = await make_receiver()
    await targets.create(target(base))
    first = await _pid(notifier.courier)
    for n in range(20):
        bus.publish(log_error(n))
    os.kill(first, signal.SIGKILL)
    await _pid(notifier.courier, other_than=first)
    got = await receiver.wait_for(20, timeout=60)
    await notifier.settled()
    messages = [g.json["message"] for g in got]
    wanted = [f"error {n}" for n in range(20)]
    assert list(dict.fromkeys(messages)) == wanted  # none lost, order kept
