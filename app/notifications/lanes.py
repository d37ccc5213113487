"""The delivery process's side: a lane per target, each a bounded FIFO with its own sending
task, so a target that never answers delays only its own notices. The lanes read the
targets from the last snapshot the server sent: an edited target sends with its new
request, a deleted one's lane ends with it."""

from __future__ import annotations

import asyncio
import logging

from app.notifications.box import Box
from app.notifications.delivery import Delivery, Sender
from app.notifications.events import Notice
from app.notifications.models import NotificationModel

log = logging.getLogger("app.notifications.outbox")

# As many as the server's outbox holds: at the lowest priority, a lane may fall a few
# batches behind while downloads take the cores, and that must not drop notices.
LANE_SIZE = 1000


class Lanes:
    def __init__(self, sender: Sender, group: asyncio.TaskGroup, lane_size: int = LANE_SIZE):
        self._sender = sender
        self._group = group
        self._lane_size = lane_size
        self._targets: dict[int, NotificationModel] = {}
        self._lanes: dict[int, Box] = {}
        self._failures: dict[int, int] = {}
        self._idle = asyncio.Event()
        self._idle.set()
        self._busy = 0

    def keep(self, targets: tuple[NotificationModel, ...]) -> None:
        self._targets = {t.id: t for t in targets}

    def put(self, notice: Notice) -> None:
        for target in self._targets.values():
            if target.wants(notice.name, notice.preset):
                self._lane(target.id).put(notice)
                self._idle.clear()

    def _lane(self, target_id: int) -> Box:
        lane = self._lanes.get(target_id)
        if lane is None:
            lane = Box(self._lane_size, f"the queue of notification target {target_id}")
            self._lanes[target_id] = lane
            self._group.create_task(self._send_lane(target_id, lane))
        return lane

    async def _send_lane(self, target_id: int, lane: Box) -> None:
        while True:
            notice = await lane.get()
            target = self._targets.get(target_id)
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
        if not self._busy and not any(map(len, self._lanes.values())):
            self._idle.set()

    async def settled(self) -> None:
        await self._idle.wait()

    async def test(self, targets: tuple[NotificationModel, ...], notice: Notice) -> list[Delivery]:
        """Sent now, concurrently, each with its own timeout and retries."""
        return list(await asyncio.gather(*(self._sender.deliver(t, notice) for t in targets)))
