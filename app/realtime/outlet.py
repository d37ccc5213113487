"""One connected client: a bounded queue of shared events and the one task that sends them.

The bus hands every event to every outlet synchronously, so ``offer`` never waits. A client
that cannot keep up is dropped (it reconnects and reloads the state) instead of growing a
queue or holding up the publisher; progress for one item that is still waiting in a queue
is replaced in place by the newer state, so a slow reader sees fewer, fresher updates.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass
from typing import Protocol

from app.access.permissions import OPERATOR, Principal
from app.core.wire import Event, EventName

log = logging.getLogger(__name__)


class SlowClient(Exception):
    """Raised by a transport whose own buffer is full: the client is not reading."""


class Transport(Protocol):
    async def send(self, event: Event) -> None:
        """Sends one event; may wait while the connection's buffers are full."""

    def abort(self) -> None:
        """Cuts the connection now (a send waiting on it fails); must not wait."""

    async def close(self) -> None:
        """Ends the connection politely; bounded in time, never waits long on the client."""


@dataclass(slots=True)
class _Slot:
    uid: str | None
    event: Event


class Outlet:
    def __init__(
        self, sid: str, transport: Transport, *, limit: int, principal: Principal = OPERATOR
    ) -> None:
        self.sid = sid
        self.principal = principal  # who connected: their commands are checked against it
        self.in_flight = 0  # client commands still running, so one client cannot pile them up
        self.dropped: str | None = None
        self._transport = transport
        self._limit = limit
        self._slots: deque[_Slot] = deque()
        # Progress slots not sent yet: newer progress for the same item replaces their event.
        self._open: dict[str, _Slot] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def backlog(self) -> int:
        return len(self._slots)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name=f"outlet-{self.sid}")

    def offer(self, event: Event) -> None:
        """Queues an event for this client; never waits."""
        if self.dropped is not None:
            return
        uid = event.item_id
        if uid is not None:
            if event.event is EventName.ITEM_UPDATED:
                slot = self._open.get(uid)
                if slot is not None:
                    slot.event = event
                    return
            else:
                # Seal: progress that comes later must be sent after this event.
                self._open.pop(uid, None)
        if len(self._slots) >= self._limit:
            self.drop(f"more than {self._limit} events waiting")
            return
        slot = _Slot(uid, event)
        self._slots.append(slot)
        if uid is not None and event.event is EventName.ITEM_UPDATED:
            self._open[uid] = slot
        self._wake.set()

    def drop(self, reason: str) -> None:
        """Stops sending and cuts the connection; the client reloads the state when it returns."""
        if self.dropped is not None:
            return
        log.info("dropping client %s: %s", self.sid, reason)
        self.dropped = reason
        self._slots.clear()
        self._open.clear()
        self._transport.abort()  # a send stuck on a socket nobody reads fails at once
        self._wake.set()

    async def aclose(self) -> None:
        """Stops the sender; the connection is already gone or closed by its owner."""
        if self.dropped is None:
            self.dropped = "closed"
        task = self._task
        if task is not None and task is not asyncio.current_task() and not task.done():
            task.cancel()
            await asyncio.wait([task])

    async def end_connection(self) -> None:
        await self._transport.close()

    async def _run(self) -> None:
        try:
            await self._pump()
        except SlowClient:
            self.drop("its connection buffer is full")
        except ConnectionError:
            return  # the client went away (or was cut off); its reader detaches the outlet
        await self._transport.close()

    async def _pump(self) -> None:
        while self.dropped is None:
            if not self._slots:
                self._wake.clear()
                await self._wake.wait()
                continue
            slot = self._slots.popleft()
            if slot.uid is not None and self._open.get(slot.uid) is slot:
                del self._open[slot.uid]
            await self._transport.send(slot.event)
