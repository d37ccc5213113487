"""Delivery over loopback: retries with backoff for 5xx and silence, one outbox that never
makes the bus or the loop wait, lanes that keep a dead target from delaying the others,
and failure logs without the target's secrets."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.core.db import Database
from app.core.events import EventBus, LogLevel, LogMessage
from app.notifications.delivery import RetryPolicy, _Encoded, envelope
from app.notifications.events import Notice, NotificationName
from app.notifications.lifecycle import running
from app.notifications.outbox import Notifier
from app.notifications.service import NotificationService
from app.sandbox.network import NetworkPolicy
from tests.notifications.conftest import MakeReceiver
from tests.notifications.test_notifications_api import target

FAST = RetryPolicy(timeout=0.5, attempts=3, backoff=0.05)
Running = tuple[NotificationService, Notifier, EventBus]


@pytest.fixture
async def notifications(tmp_path: Path) -> AsyncIterator[Running]:
    db = await Database.open(tmp_path / "db.sqlite")
    bus = EventBus()
    try:
        async with running(db, bus, NetworkPolicy(allow_internal=True), FAST) as (t, n):
            yield t, n, bus
    finally:
        await db.close()


def log_error(n: int) -> LogMessage:
    return LogMessage(level=LogLevel.ERROR, title="Oops", message=f"error {n}")


async def test_a_500_is_retried_with_backoff(
    notifications: Running, make_receiver: MakeReceiver
) -> None:
    targets, notifier, bus = notifications
    receiver, base = await make_receiver(500, 502, 200)
    await targets.create(target(f"{base}/flaky"))
    bus.publish(log_error(1))
    got = await receiver.wait_for(3)
    await notifier.settled()
    assert len(got) == 3 and all(g.json["message"] == "error 1" for g in got)
    assert len({g.json["id"] for g in got}) == 1  # the same notice, tried again


async def test_a_4xx_is_not_retried(notifications: Running, make_receiver: MakeReceiver) -> None:
    targets, notifier, bus = notifications
    receiver, base = await make_receiver(404)
    await targets.create(target(base))
    bus.publish(log_error(1))
    await receiver.wait_for(1)
    await notifier.settled()
    assert len(receiver.got) == 1


async def test_a_dead_target_blocks_nothing(
    notifications: Running, make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="app.notifications")
    targets, notifier, bus = notifications
    await notifier.courier.ready()  # started on first need: not part of the timed window
    dead, dead_base = await make_receiver(hang=True)
    broken, broken_base = await make_receiver(500)
    good, good_base = await make_receiver()
    secret = {"key": "Authorization", "value": "Bearer s3cret"}
    await targets.create(target(f"{dead_base}/tok3n", name="dead", request={"headers": [secret]}))
    await targets.create(target(broken_base, name="broken"))
    await targets.create(target(good_base, name="good"))

    started = time.perf_counter()
    for n in range(100):
        bus.publish(log_error(n))
    published = time.perf_counter() - started
    assert published < 0.05  # the bus only appends to the outbox

    lag = asyncio.create_task(_worst_loop_lag(1.0))
    got = await good.wait_for(100, timeout=5)  # not held back by the dead or the broken one
    assert [g.json["message"] for g in got] == [f"error {n}" for n in range(100)]
    assert await lag < 0.1
    await broken.wait_for(3)  # its first notice, retried
    await dead.wait_for(1)
    await asyncio.wait_for(_until_logged(caplog, "(dead)"), 5)
    lines = [r.getMessage() for r in caplog.records]
    assert any("(broken)" in line and "HTTP 500" in line for line in lines), lines
    assert any("(dead)" in line and "no answer within" in line for line in lines), lines
    text = caplog.text
    assert "s3cret" not in text and "tok3n" not in text and dead_base not in text


async def test_a_full_outbox_drops_the_oldest(
    tmp_path: Path, make_receiver: MakeReceiver, caplog: pytest.LogCaptureFixture
) -> None:
    db = await Database.open(tmp_path / "db.sqlite")
    bus = EventBus()
    receiver, base = await make_receiver()
    policy = NetworkPolicy(allow_internal=True)
    try:
        async with running(db, bus, policy, FAST, outbox_size=3) as (targets, notifier):
            await targets.create(target(base))
            with caplog.at_level(logging.WARNING, logger="app.notifications"):
                for n in range(5):  # no await between: the drain cannot take any yet
                    bus.publish(log_error(n))
            assert caplog.text.count("outbox is full") == 2
            got = await receiver.wait_for(3)
            await notifier.settled()
    finally:
        await db.close()
    assert [g.json["message"] for g in got] == ["error 2", "error 3", "error 4"]


async def _worst_loop_lag(seconds: float) -> float:
    """The longest the loop made a 10 ms sleep wait beyond its time."""
    worst = 0.0
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        before = time.perf_counter()
        await asyncio.sleep(0.01)
        worst = max(worst, time.perf_counter() - before - 0.01)
    return worst


async def _until_logged(caplog: pytest.LogCaptureFixture, text: str) -> None:
    while not any(text in r.getMessage() for r in caplog.records):  # noqa: ASYNC110
        await asyncio.sleep(0.05)  # logging has no hook to await


def test_a_json_body_is_what_json_dumps_would_send() -> None:
    """The data is encoded once per notice; each target still gets its own id, time and
    data key, in the very bytes ``json=`` would have sent."""
    notice = Notice(
        NotificationName.ITEM_ADDED,
        'Item "Added"',
        "Ünïcode \u2028 and \\ quotes",
        {"title": "caf\u00e9", "n": 1.5, "list": [1, None, True], "nested": {"a": "b"}},
        "default",
    )
    encoded = _Encoded(notice)
    for key in ("data", "payload", 'we"ird'):
        body = envelope(notice, key)
        assert encoded.json_body(body, key) == json.dumps(body).encode()


async def test_an_edited_target_sends_its_new_headers(
    notifications: Running, make_receiver: MakeReceiver
) -> None:
    targets, notifier, bus = notifications
    receiver, base = await make_receiver()
    created = await targets.create(
        target(base, request={"headers": [{"key": "X-Token", "value": "one"}]})
    )
    bus.publish(log_error(1))
    await receiver.wait_for(1)
    await notifier.settled()
    await targets.patch(
        created.id,
        {"request": {"url": f"{base}/two", "headers": [{"key": "X-Token", "value": "two"}]}},
    )
    bus.publish(log_error(2))
    got = await receiver.wait_for(2)
    assert [(g.path, g.headers["X-Token"]) for g in got] == [("/", "one"), ("/two", "two")]
    assert got[0].json["id"] != got[1].json["id"]
    assert all(g.content_type == "application/json" for g in got)
