"""Notifications from start to stop: the targets loaded, one HTTP session and a few apprise
threads opened, the outbox drained by one owned task, and all of it closed in reverse."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor

from app.core.db import Database
from app.core.events import EventBus
from app.notifications.delivery import DEFAULT_RETRY, RetryPolicy, Sender
from app.notifications.network import client_session
from app.notifications.outbox import OUTBOX_SIZE, Notifier
from app.notifications.service import NotificationService
from app.notifications.store import NotificationStore
from app.sandbox.network import NetworkPolicy

APPRISE_THREADS = 4


@contextlib.asynccontextmanager
async def running(
    db: Database,
    bus: EventBus,
    policy: NetworkPolicy,
    retry: RetryPolicy = DEFAULT_RETRY,
    *,
    outbox_size: int = OUTBOX_SIZE,
) -> AsyncIterator[tuple[NotificationService, Notifier]]:
    targets = NotificationService(NotificationStore(db), bus)
    await targets.open()
    executor = ThreadPoolExecutor(APPRISE_THREADS, thread_name_prefix="apprise")
    try:
        async with client_session(policy) as session:
            notifier = Notifier(
                targets, Sender(session, executor, policy, retry), outbox_size=outbox_size
            )
            drain = asyncio.create_task(notifier.run(), name="notifications")
            unsubscribe = bus.subscribe(notifier.on_event)
            try:
                yield targets, notifier
            finally:
                unsubscribe()
                drain.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await drain
    finally:
        # A plugin stuck in a thread is not waited for: apprise's own timeouts end it.
        executor.shutdown(wait=False, cancel_futures=True)
