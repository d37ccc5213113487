"""The bus's events to the delivery process, without ever making the bus wait.

The subscriber only asks ``notices(event)`` and appends to the outbox, a bounded FIFO
(when full, the oldest notice is dropped, with a log line). One background task drains it
into the delivery process (``app.notifications.courier``), which sends each notice to its
targets, each target in its own lane. While that process is down (restarting), notices
wait here. ``run()`` is owned by the cleanup context that started it, which cancels it.
"""

from __future__ import annotations

import asyncio

from app.core.events import DomainEvent
from app.notifications.box import Box
from app.notifications.courier import Courier
from app.notifications.delivery import Delivery
from app.notifications.events import NotificationTest, notices
from app.notifications.models import NotificationModel
from app.notifications.service import NotificationService

OUTBOX_SIZE = 1000


class Notifier:
    def __init__(
        self, targets: NotificationService, courier: Courier, *, outbox_size: int = OUTBOX_SIZE
    ) -> None:
        self._targets = targets
        self._courier = courier
        self._outbox = Box(outbox_size, "the notification outbox")
        self._handed = asyncio.Event()  # everything queued so far went to the process
        self._handed.set()

    # -- the bus side: never blocks -----------------------------------------------------

    def on_event(self, event: DomainEvent) -> None:
        if not self._targets.any_enabled:
            return
        for notice in notices(event):
            self._outbox.put(notice)
            self._handed.clear()

    # -- the sending side ---------------------------------------------------------------

    async def run(self) -> None:
        """Drains the outbox into the delivery process until cancelled."""
        while True:
            notice = await self._outbox.get()  # the first notice starts the process
            await self._courier.ready()
            await self._courier.send(notice)
            if not len(self._outbox):
                self._handed.set()

    async def settled(self) -> None:
        """Waits until everything queued so far was tried (for tests and benchmarks)."""
        await self._handed.wait()
        await self._courier.settled()

    # -- the test button ----------------------------------------------------------------

    async def test(self) -> list[tuple[NotificationModel, Delivery]]:
        """A ``test`` notice to every enabled target, whatever its events and presets;
        sent now, concurrently, each with its own timeout and retries."""
        [notice] = notices(NotificationTest())
        targets = self._targets.enabled()
        results = await self._courier.test(targets, notice)
        return list(zip(targets, results, strict=True))

    @property
    def courier(self) -> Courier:
        return self._courier
