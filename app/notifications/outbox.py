"""The bus's events to the targets, without ever making the bus wait.

The subscriber only asks ``notices(event)`` and appends to the outbox, a bounded deque
(when full, the oldest notice is dropped, with a log line). One background task drains it
into a lane per target: each lane is a bounded deque with its own sending task, so a
target that never answers delays only its own notices, never the others' or the loop.
``run()`` owns every task (a TaskGroup); the cleanup context that started it cancels it.
"""

from __future__ import annotations

import asyncio
import collections
import logging

from app.core.events import DomainEvent
from app.notifications.delivery import Delivery, Sender
from app.notifications.events import Notice, NotificationTest, notices
from app.notifications.models import NotificationModel
from app.notifications.service import NotificationService

log = logging.getLogger(__name__)

OUTBOX_SIZE = 1000
LANE_SIZE = 200


class _Box:
    """A bounded FIFO that drops its oldest entry when full, and can be awaited."""

    def __init__(self, size: int, what: str) -> None:
        self._items: collections.deque[Notice] = collections.deque()
        self._size = size
        self._what = what
        self._ready = asyncio.Event()
        self.dropped = 0

    def put(self, notice: Notice) -> None:
        if len(self._items) >= self._size:
            old = self._items.popleft()
            self.dropped += 1
            log.warning("%s is full: dropped a %s notice", self._what, old.name.value)
        self._items.append(notice)
        self._ready.set()

    async def get(self) -> Notice:
        while not self._items:
            self._ready.clear()
            await self._ready.wait()
        return self._items.popleft()

    def __len__(self) -> int:
        return len(self._items)


class Notifier:
    def __init__(
        self,
        targets: NotificationService,
        sender: Sender,
        *,
        outbox_size: int = OUTBOX_SIZE,
        lane_size: int = LANE_SIZE,
    ) -> None:
        self._targets = targets
        self._sender = sender
        self._outbox = _Box(outbox_size, "the notification outbox")
        self._lane_size = lane_size
        self._lanes: dict[int, _Box] = {}
        self._failures: dict[int, int] = {}
        self._group: asyncio.TaskGroup | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self._busy = 0

    # -- the bus side: never blocks -----------------------------------------------------

    def on_event(self, event: DomainEvent) -> None:
        if not self._targets.any_enabled:
            return
        for notice in notices(event):
            self._outbox.put(notice)
            self._idle.clear()

    # -- the sending side ---------------------------------------------------------------

    async def run(self) -> None:
        """Drains the outbox until cancelled; every lane task is a child of this one."""
        async with asyncio.TaskGroup() as group:
            self._group = group
            while True:
                notice = await self._outbox.get()
                for target in self._targets.targets_of(notice):
                    self._lane(target.id).put(notice)
                self._check_idle()

    def _lane(self, target_id: int) -> _Box:
        lane = self._lanes.get(target_id)
        if lane is None:
            assert self._group is not None
            lane = _Box(self._lane_size, f"the queue of notification target {target_id}")
            self._lanes[target_id] = lane
            self._group.create_task(self._send_lane(target_id, lane))
        return lane

    async def _send_lane(self, target_id: int, lane: _Box) -> None:
        while True:
            notice = await lane.get()
            target = self._targets.current(target_id)
            if target is None:  # deleted since: its lane ends with it
                del self._lanes[target_id]
                self._check_idle()
                return
            if target.wants(notice.name, notice.preset):
                self._busy += 1
                try:
                    self._record(target, await self._sender.deliver(target, notice))
                finally:
                    self._busy -= 1
            self._check_idle()

    def _record(self, target: NotificationModel, delivery: Delivery) -> None:
        if delivery.delivered:
            self._failures.pop(target.id, None)
            return
        failures = self._failures.get(target.id, 0) + 1
        self._failures[target.id] = failures
        # Never the URL or headers: they may carry tokens.
        log.warning(
            "notification target %d (%s) failed %d time(s) in a row: %s after %d attempt(s)",
            target.id,
            target.name,
            failures,
            delivery.error,
            delivery.attempts,
        )

    def _check_idle(self) -> None:
        if not self._busy and not len(self._outbox) and not any(map(len, self._lanes.values())):
            self._idle.set()

    async def settled(self) -> None:
        """Waits until everything queued so far was tried (for tests and benchmarks)."""
        await self._idle.wait()

    # -- the test button ----------------------------------------------------------------

    async def test(self) -> list[tuple[NotificationModel, Delivery]]:
        """A ``test`` notice to every enabled target, whatever its events and presets;
        sent now, concurrently, each with its own timeout and retries."""
        [notice] = notices(NotificationTest())
        targets = self._targets.enabled()
        results = await asyncio.gather(*(self._sender.deliver(t, notice) for t in targets))
        return list(zip(targets, results, strict=True))
