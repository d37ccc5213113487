"""The delivery process: at the lowest CPU priority, restarted when it dies (notices
published meanwhile wait in the outbox), and gone after shutdown."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.core.db import Database
from app.core.events import EventBus
from app.downloads.events import QueuePaused
from app.notifications.courier import Courier
from app.notifications.lifecycle import running
from app.sandbox.network import NetworkPolicy
from tests.notifications.conftest import MakeReceiver
from tests.notifications.test_delivery import FAST, Running, log_error
from tests.notifications.test_notifications_api import target


@pytest.fixture
async def notifications(tmp_path: Path) -> AsyncIterator[Running]:
    db = await Database.open(tmp_path / "db.sqlite")
    bus = EventBus()
    policy = NetworkPolicy(allow_internal=True)
    try:
        async with running(db, bus, policy, FAST, restart_delay=0.05) as (t, n):
            yield t, n, bus
    finally:
        await db.close()


async def _pid(courier: Courier, other_than: int | None = None) -> int:
    async with asyncio.timeout(10):
        while True:
            await courier.ready()
            if courier.pid is not None and courier.pid != other_than:
                return courier.pid
            await asyncio.sleep(0.01)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


async def test_no_process_runs_until_one_is_needed(notifications: Running) -> None:
    """A server without targets pays no memory for delivery: events publish nothing."""
    _, notifier, bus = notifications
    bus.publish(QueuePaused(at=0.0))
    await notifier.settled()
    assert notifier.courier.pid is None
    assert await _pid(notifier.courier)  # the first need starts it


async def test_the_delivery_process_runs_at_the_lowest_priority(
    notifications: Running,
) -> None:
    _, notifier, _ = notifications
    pid = await _pid(notifier.courier)
    assert pid != os.getpid()
    assert os.getpriority(os.PRIO_PROCESS, pid) == 19
    autogroup = Path(f"/proc/{pid}/autogroup")  # where the kernel schedules by session
    if autogroup.exists():
        assert autogroup.read_text().split()[-2:] == ["nice", "19"]


async def test_a_killed_delivery_process_is_restarted_and_nothing_queued_is_lost(
    notifications: Running, make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="app.notifications")
    targets, notifier, bus = notifications
    receiver, base = await make_receiver()
    await targets.create(target(base))
    courier = notifier.courier
    first = await _pid(courier)
    bus.publish(log_error(1))
    await receiver.wait_for(1)
    await notifier.settled()

    os.kill(first, signal.SIGKILL)
    for n in range(2, 5):  # while it is down or coming back: they wait in the outbox
        bus.publish(log_error(n))
    second = await _pid(courier, other_than=first)
    got = await receiver.wait_for(4)
    await notifier.settled()
    assert [g.json["message"] for g in got] == [f"error {n}" for n in range(1, 5)]
    assert os.getpriority(os.PRIO_PROCESS, second) == 19
    restarts = [r.getMessage() for r in caplog.records if "restarting" in r.getMessage()]
    assert len(restarts) == 1 and "delivery process ended" in restarts[0], restarts


async def test_the_test_button_waits_for_a_restarting_process(
    notifications: Running, make_receiver: MakeReceiver
) -> None:
    targets, notifier, _ = notifications
    receiver, base = await make_receiver()
    await targets.create(target(base, name="hook"))
    first = await _pid(notifier.courier)
    os.kill(first, signal.SIGKILL)
    [(tested, delivery)] = await notifier.test()
    assert tested.name == "hook" and delivery.delivered, delivery
    assert [g.json["event"] for g in receiver.got] == ["test"]


async def test_shutdown_leaves_no_process(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "db.sqlite")
    try:
        async with running(db, EventBus(), NetworkPolicy(allow_internal=True), FAST) as (_, n):
            pid = await _pid(n.courier)
            assert _alive(pid)
    finally:
        await db.close()
    assert not _alive(pid)
