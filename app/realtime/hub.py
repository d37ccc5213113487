"""The live-event hub: the bus fanned out to every connected client, and the ``/ws`` socket.

Each event is encoded once and shared by every client; each client has its own bounded
outlet, so a slow or dead one is dropped instead of delaying downloads or other clients.
Progress is thinned here, once for everybody, so healthy clients see the same sequence.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any, Generic, Protocol, TypeVar

from aiohttp import WSMsgType, web

from app.access.middleware import principal_of
from app.access.permissions import OPERATOR, Principal
from app.core.errors import AppError, InvalidInput
from app.core.limits import load_json
from app.core.wire import Event, EventName
from app.realtime.outlet import Outlet, Transport
from app.realtime.wire import WireFeed

log = logging.getLogger(__name__)

T = TypeVar("T")

HEARTBEAT = 10.0  # seconds between pings on /ws (the seed's value)
QUEUE_LIMIT = 256  # events waiting for one client before it is dropped
PROGRESS_INTERVAL = 0.25  # seconds: at most 4 item_updated per item per second
MAX_IN_FLIGHT = 8  # client commands running at once per connection
CLOSE_TIMEOUT = 2.0  # seconds a client gets to answer the close at shutdown
INVALID_REQUEST = "Invalid request"


class Commands(Protocol):
    async def handle(self, name: str, data: Any) -> list[Event]:
        """Runs one client command; returns the events meant for that client only."""


# Checks one command of a client (who, name, data) before it runs: raises an AppError to
# refuse it.
CommandGate = Callable[[Principal, str, Any], None]


def open_gate(principal: Principal, name: str, data: Any) -> None:
    return None


class BadFrame(ValueError):
    """A client message that is not ``{"event": name, "data": ...}`` JSON."""


def error_event(message: str, title: str = INVALID_REQUEST) -> Event:
    return Event(EventName.LOG_ERROR, {}, title=title, message=message)


def parse_frame(text: str) -> tuple[str, Any]:
    try:
        frame = load_json(text, "The message")
    except InvalidInput as exc:
        raise BadFrame(exc.message) from None
    if not isinstance(frame, dict) or not isinstance(frame.get("event"), str):
        raise BadFrame('A message must be a JSON object with an "event" name.')
    return frame["event"], frame.get("data")


class EncodedCache(Generic[T]):
    """The encodings of recent events, so every client shares one encoding of each."""

    def __init__(self, encode: Callable[[Event], T], size: int = 1024) -> None:
        self._encode = encode
        self._size = size
        self._cache: OrderedDict[str, T] = OrderedDict()

    def get(self, event: Event) -> T:
        data = self._cache.get(event.id)
        if data is None:
            data = self._cache[event.id] = self._encode(event)
            if len(self._cache) > self._size:
                self._cache.popitem(last=False)
        return data


class ProgressGate:
    """Download progress for one item passes at most once per interval; the newest always does.

    Only ``item_updated`` with status ``downloading`` is progress (the download child
    throttles the same messages): other updates are state changes and pass at once, taking
    the place of any progress held back. Any other event about the item first releases the
    progress held for it, so the order of one item's events never changes.
    """

    def __init__(self, deliver: Callable[[Event], None], interval: float) -> None:
        self._deliver = deliver
        self._interval = interval
        self._progress_at: dict[str, float] = {}  # item id -> when its last progress passed
        self._held: dict[str, Event] = {}
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.create_task(self._release_when_due(), name="progress-gate")

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task])
        self._held.clear()

    def offer(self, event: Event) -> None:
        uid = event.item_id
        if uid is None:
            self._deliver(event)
            return
        now = asyncio.get_running_loop().time()
        if event.event is not EventName.ITEM_UPDATED:
            held = self._held.pop(uid, None)
            if held is not None:
                self._pass_progress(uid, held, now)
            self._deliver(event)
            return
        if not _is_progress(event):
            self._held.pop(uid, None)  # superseded: every update carries the whole item
            self._deliver(event)
            return
        last = self._progress_at.get(uid)
        if last is None or now - last >= self._interval:
            self._held.pop(uid, None)
            self._pass_progress(uid, event, now)
            return
        if uid not in self._held:
            self._wake.set()
        self._held[uid] = event

    def _pass_progress(self, uid: str, event: Event, now: float) -> None:
        self._progress_at[uid] = now
        if len(self._progress_at) > 512:
            self._forget_quiet(now)
        self._deliver(event)

    def _forget_quiet(self, now: float) -> None:
        quiet = [
            uid
            for uid, when in self._progress_at.items()
            if now - when >= self._interval and uid not in self._held
        ]
        for uid in quiet:
            del self._progress_at[uid]

    async def _release_when_due(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._wake.clear()
            if not self._held:
                await self._wake.wait()
                continue
            now = loop.time()
            due = {uid: self._progress_at[uid] + self._interval for uid in self._held}
            ready = [uid for uid, when in due.items() if when <= now]
            for uid in ready:
                self._pass_progress(uid, self._held.pop(uid), now)
            if not ready:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), min(due.values()) - now)


def _is_progress(event: Event) -> bool:
    return isinstance(event.data, dict) and event.data.get("status") == "downloading"


class Hub:
    def __init__(
        self,
        feed: WireFeed,
        commands: Commands,
        *,
        limit: int = QUEUE_LIMIT,
        interval: float = PROGRESS_INTERVAL,
        gate: CommandGate = open_gate,
    ) -> None:
        self._feed = feed
        self._commands = commands
        self._gate_command = gate
        self._limit = limit
        self._gate = ProgressGate(self._fan_out, interval)
        self._outlets: dict[str, Outlet] = {}
        self._tasks: set[asyncio.Task[None]] = set()  # client commands
        self._unsubscribe: Callable[[], None] | None = None
        self._frames = EncodedCache(lambda event: event.frame.encode())

    @property
    def client_count(self) -> int:
        return len(self._outlets)

    async def open(self) -> None:
        self._gate.start()
        self._unsubscribe = self._feed.subscribe(self._gate.offer)

    async def close(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        await self.disconnect_all()
        await self._gate.close()
        for task in self._tasks:
            task.cancel()
        if self._tasks:
            await asyncio.wait(self._tasks)

    async def disconnect_all(self) -> None:
        """Closes every client (at shutdown): each gets a moment, then is cut off."""
        outlets = list(self._outlets.values())
        self._outlets.clear()
        await asyncio.gather(*(self._shut(outlet) for outlet in outlets))

    async def _shut(self, outlet: Outlet) -> None:
        await outlet.aclose()
        await outlet.end_connection()

    # -- clients --------------------------------------------------------------------------

    def register(self, sid: str, transport: Transport, principal: Principal = OPERATOR) -> Outlet:
        """A new client: it gets ``connected`` first (never the history), then the feed."""
        outlet = Outlet(sid, transport, limit=self._limit, principal=principal)
        outlet.offer(Event(EventName.CONNECTED, {"sid": sid}))
        self._outlets[sid] = outlet
        outlet.start()
        return outlet

    async def unregister(self, outlet: Outlet) -> None:
        if self._outlets.get(outlet.sid) is outlet:
            del self._outlets[outlet.sid]
        await outlet.aclose()

    @contextlib.asynccontextmanager
    async def attach(
        self, sid: str, transport: Transport, principal: Principal = OPERATOR
    ) -> AsyncIterator[Outlet]:
        outlet = self.register(sid, transport, principal)
        try:
            yield outlet
        finally:
            await self.unregister(outlet)
            await outlet.end_connection()

    def _fan_out(self, event: Event) -> None:
        for outlet in tuple(self._outlets.values()):
            outlet.offer(event)

    # -- client commands ------------------------------------------------------------------

    def run_command(self, outlet: Outlet, name: str, data: Any) -> None:
        """Starts one client command; its answers for this client go to its outlet."""
        if outlet.in_flight >= MAX_IN_FLIGHT:
            outlet.offer(error_event("Too many requests at once; wait for the answers."))
            return
        try:
            self._gate_command(outlet.principal, name, data)
        except AppError as exc:
            outlet.offer(error_event(exc.message, "Not allowed"))
            return
        outlet.in_flight += 1
        self._spawn(self._command(outlet, name, data))

    async def _command(self, outlet: Outlet, name: str, data: Any) -> None:
        try:
            replies = await self._commands.handle(name, data)
        except Exception:
            # A client's message must never take the connection down; the bug is logged.
            log.exception("client command %r failed", name)
            replies = [error_event("The server could not handle the request.", "Server error")]
        finally:
            outlet.in_flight -= 1
        for reply in replies:
            outlet.offer(reply)

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # -- /ws --------------------------------------------------------------------------------

    async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
        ws = web.WebSocketResponse(heartbeat=HEARTBEAT, compress=False)
        await ws.prepare(request)
        transport = _WebSocketTransport(ws, request.transport, self._frames)
        principal = principal_of(request)
        async with self.attach(secrets.token_urlsafe(12), transport, principal) as outlet:
            async for message in ws:
                if message.type is WSMsgType.TEXT:
                    self._on_text(outlet, message.data)
                elif message.type is WSMsgType.BINARY:
                    outlet.offer(error_event("Binary messages are not supported; send JSON."))
        return ws

    def _on_text(self, outlet: Outlet, text: str) -> None:
        try:
            name, data = parse_frame(text)
        except BadFrame as exc:
            outlet.offer(error_event(str(exc)))
            return
        self.run_command(outlet, name, data)


class _WebSocketTransport:
    def __init__(
        self, ws: web.WebSocketResponse, raw: asyncio.Transport | None, frames: EncodedCache[bytes]
    ) -> None:
        self._ws = ws
        self._raw = raw
        self._frames = frames

    async def send(self, event: Event) -> None:
        await self._ws.send_frame(self._frames.get(event), WSMsgType.TEXT)

    def abort(self) -> None:
        if self._raw is not None:
            self._raw.abort()

    async def close(self) -> None:
        if not self._ws.closed:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CLOSE_TIMEOUT):
                    await self._ws.close(code=1001, message=b"Server closing the connection")
        # A closed transport still waits to flush its buffer, which a client that does not
        # read never lets happen: cut it off so the connection and its handler end.
        if self._raw is not None and self._raw.get_write_buffer_size() > 0:
            self._raw.abort()
