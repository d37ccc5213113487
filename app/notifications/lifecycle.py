"""Notifications from start to stop: the targets loaded, the delivery process started (and
restarted when it dies), the outbox drained into it by one owned task, and all of it
stopped in reverse."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator

from app.core.db import Database
from app.core.events import EventBus
from app.notifications.courier import RESTART_DELAY, Courier
from app.notifications.delivery import DEFAULT_RETRY, RetryPolicy
from app.notifications.outbox import OUTBOX_SIZE, Notifier
from app.notifications.service import NotificationService
from app.notifications.store import NotificationStore
from app.sandbox.network import NetworkPolicy
from app.workers.prefork import Zygote


@contextlib.asynccontextmanager
async def running(
    db: Database,
    bus: EventBus,
    policy: NetworkPolicy,
    retry: RetryPolicy = DEFAULT_RETRY,
    *,
    outbox_size: int = OUTBOX_SIZE,
    restart_delay: float = RESTART_DELAY,
    forks: Zygote | None = None,
) -> AsyncIterator[tuple[NotificationService, Notifier]]:
    targets = NotificationService(NotificationStore(db), bus)
    await targets.open()
    courier = Courier(targets, policy, retry, restart_delay=restart_delay, forks=forks)
    notifier = Notifier(targets, courier, outbox_size=outbox_size)
    tasks = [
        asyncio.create_task(courier.run(), name="notification delivery process"),
        asyncio.create_task(notifier.run(), name="notifications"),
    ]
    unsubscribe = bus.subscribe(notifier.on_event)
    try:
        yield targets, notifier
    finally:
        unsubscribe()
        for task in reversed(tasks):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
