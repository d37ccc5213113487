"""The bus's events to the delivery process, without ever making the bus wait.

The subscriber only asks ``notices(event)`` for the notices some enabled target wants (by
name and preset: nothing is built for the others) and appends to the outbox, a bounded
FIFO (when full, the oldest notice is dropped, with a log line). One background task
drains it into the delivery process (``app.notifications.courier``) in batches: what
gathered within ``GATHER`` seconds of the first, as one message answered once it is in the
lanes (an item's ``item_completed`` and ``item_moved`` share their data, pickled once).
That process sends each notice to its targets, each target in its own lane. While it is
down (restarting), notices wait here, and a batch it may not have taken goes to the next
one. ``run()`` is owned by the cleanup context that started it, which cancels it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from app.core.events import DomainEvent
from app.notifications import wire
from app.notifications.box import Box
from app.notifications.courier import Courier
from app.notifications.delivery import Delivery
from app.notifications.events import Notice, NotificationTest, notices
from app.notifications.models import NotificationModel
from app.notifications.service import NotificationService

OUTBOX_SIZE = 1000
GATHER = 0.05  # seconds a batch waits after its first notice for the ones that follow
BATCH = 500  # notices in one message at most


class Notifier:
    def __init__(
        self, targets: NotificationService, courier: Courier, *, outbox_size: int = OUTBOX_SIZE
    ) -> None:
        self._targets = targets
        self._courier = courier
        self._outbox = Box(outbox_size, "the notification outbox")
        self._handed = asyncio.Event()  # everything queued so far went to the process
        self._handed.set()
        self._sent: tuple[int, int | None] = (-1, None)  # (targets' version, process id)

    # -- the bus side: never blocks -----------------------------------------------------

    def on_event(self, event: DomainEvent) -> None:
        if not self._targets.any_enabled:
            return
        for notice in notices(event, self._targets.wanted):
            self._outbox.put(notice)
            self._handed.clear()

    # -- the sending side ---------------------------------------------------------------

    async def run(self) -> None:
        """Drains the outbox into the delivery process until cancelled."""
        while True:
            first = await self._outbox.get()  # the first notice starts the process
            await self._courier.ready()
            await asyncio.sleep(GATHER)
            batch = (first, *self._outbox.take(BATCH - 1))
            await self._courier.ask(self._deliver(batch), None)
            if not len(self._outbox):
                self._handed.set()

    def _deliver(self, batch: tuple[Notice, ...]) -> Callable[[int], wire.Command]:
        """The question for ``batch``: with the targets when the list changed since the
        process had it, or the process is another one, or this is a second attempt (the
        process died: the next one has no list yet)."""
        attempts = 0

        def question(ask: int) -> wire.Command:
            nonlocal attempts
            attempts += 1
            now = (self._targets.version, self._courier.pid)
            targets = None
            if attempts > 1 or now != self._sent:
                targets = tuple(self._targets.all())
                self._sent = now
            return wire.Deliver(ask, batch, targets)

        return question

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
