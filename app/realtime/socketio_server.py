"""``/socket.io/``: the same events and commands as ``/ws``, for socket.io clients.

python-socketio speaks the protocol; the hub still owns fan-out. Each socket.io client gets
an outlet like a ``/ws`` client, and events go out as socket.io packets encoded once per
event. Engine.IO keeps an unbounded queue per socket, so the transport reports a client
whose queue has grown past the limit as slow and the outlet drops it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

import socketio
from aiohttp import web
from socketio import packet

from app.access.middleware import principal_of
from app.access.permissions import OPERATOR
from app.core.errors import InvalidInput
from app.core.limits import load_json
from app.core.web import Handler
from app.core.wire import Event
from app.realtime.client_events import NAMES
from app.realtime.hub import QUEUE_LIMIT, EncodedCache, Hub, error_event
from app.realtime.outlet import Outlet, SlowClient

log = logging.getLogger(__name__)

NAMESPACE = "/"
PING_INTERVAL = 10  # seconds, like the /ws heartbeat: a dead client is noticed quickly
PING_TIMEOUT = 10


# The event a client packet becomes when its data cannot be read; it is answered with an error.
INVALID_PACKET = "\x00invalid"


class _BoundedJson:
    """JSON for client packets: the same depth and number bounds as request bodies."""

    dumps = staticmethod(json.dumps)

    @staticmethod
    def loads(text: str | bytes, **_: Any) -> Any:
        return load_json(text, "The socket.io packet")


class _BoundedPacket(packet.Packet):  # type: ignore[misc]
    json = _BoundedJson

    def decode(self, encoded_packet: Any) -> int:
        try:
            count: int = super().decode(encoded_packet)
        except InvalidInput as exc:
            self.packet_type, self.data = packet.EVENT, [INVALID_PACKET, exc.message]
            return 0
        return count


def _socketio_packet(event: Event) -> str:
    # Socket.IO protocol v5: an EVENT packet on the default namespace is "2" + [name, data].
    return "2" + json.dumps([event.event.value, event.envelope()], default=str)


class SocketIOServer:
    def __init__(self, hub: Hub) -> None:
        self._hub = hub
        self._outlets: dict[str, Outlet] = {}
        self._packets = EncodedCache(_socketio_packet)
        self.server = socketio.AsyncServer(
            async_mode="aiohttp",
            serializer=_BoundedPacket,
            # Origins, CORS and auth are the app's middlewares' job, as for every route
            # (the routes are socket doors, see ``setup``); [] turns Engine.IO's own off.
            cors_allowed_origins=[],
            # Handlers return at once (commands run as hub tasks), so inline is safe.
            async_handlers=False,
            # CONNECT goes out before our handler runs, so `connected` always follows it.
            always_connect=True,
            ping_interval=PING_INTERVAL,
            ping_timeout=PING_TIMEOUT,
            logger=False,
            engineio_logger=False,
        )
        self.server.on("connect", self._connect, namespace=NAMESPACE)
        self.server.on("disconnect", self._disconnect, namespace=NAMESPACE)
        for name in NAMES:
            self.server.on(name, self._command_handler(name), namespace=NAMESPACE)
        self.server.on("*", self._unknown, namespace=NAMESPACE)

    def routes(self) -> list[tuple[str, str, Handler]]:
        handler: Handler = self.server.handle_request
        return [("GET", "/socket.io/", handler), ("POST", "/socket.io/", handler)]

    async def close(self) -> None:
        """Stops Engine.IO's own tasks; the hub has already closed the clients."""
        await self.server.shutdown()

    async def _connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        eio_sid = self.server.manager.eio_sid_from_sid(sid, NAMESPACE)
        transport = _SocketIOTransport(self.server, eio_sid, self._packets)
        request = environ.get("aiohttp.request")
        principal = principal_of(request) if isinstance(request, web.Request) else OPERATOR
        self._outlets[sid] = self._hub.register(sid, transport, principal)

    async def _disconnect(self, sid: str, reason: Any = None) -> None:
        outlet = self._outlets.pop(sid, None)
        if outlet is not None:
            await self._hub.unregister(outlet)

    def _command_handler(self, name: str) -> Callable[..., Awaitable[None]]:
        async def handle(sid: str, *args: Any) -> None:
            outlet = self._outlets.get(sid)
            if outlet is not None:
                self._hub.run_command(outlet, name, args[0] if args else None)

        return handle

    async def _unknown(self, name: str, sid: str, *args: Any) -> None:
        outlet = self._outlets.get(sid)
        if outlet is None:
            return
        if name == INVALID_PACKET:
            outlet.offer(error_event(str(args[0]) if args else "Invalid packet."))
        else:
            outlet.offer(error_event(f"Unknown event '{name[:80]}'."))


class _SocketIOTransport:
    def __init__(self, server: Any, eio_sid: str, packets: EncodedCache[str]) -> None:
        self._server = server
        self._eio_sid = eio_sid
        self._packets = packets

    def _socket(self) -> Any:
        return self._server.eio.sockets.get(self._eio_sid)

    async def send(self, event: Event) -> None:
        socket = self._socket()
        if socket is None or socket.closed:
            raise ConnectionResetError("the socket.io client is gone")
        if socket.queue.qsize() >= QUEUE_LIMIT:
            raise SlowClient
        await self._server.eio.send(self._eio_sid, self._packets.get(event))

    def abort(self) -> None:
        pass  # sends never wait (Engine.IO queues them), so there is nothing to interrupt

    async def close(self) -> None:
        socket = self._socket()
        if socket is not None and not socket.closed:
            # Without waiting: a client that does not read would never let the queue drain.
            await socket.close(wait=False, abort=False)
