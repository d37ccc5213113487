"""Wires live events into the app: ``/ws``, ``/socket.io/`` and the hub's life cycle."""

from __future__ import annotations

from collections.abc import AsyncIterator

from aiohttp import web

from app import keys
from app.access.middleware import check_command
from app.core.doors import socket_door
from app.core.openapi import ApiRoute, declare
from app.core.web import add_routes
from app.realtime.client_events import ClientEvents
from app.realtime.hub import Hub
from app.realtime.socketio_server import SocketIOServer
from app.realtime.wire import WireFeed
from app.ytdlp.screening import screen_adds

# Socket.IO's own protocol (/socket.io/) is not described here: its clients speak it.
API = (
    ApiRoute(
        "GET",
        "/ws",
        "Live events over a WebSocket (see API.md); a request without Upgrade gets 400",
        {101: None},
        tags=("realtime",),
    ),
)


def setup(app: web.Application) -> None:
    """Call on the app that holds the services (the one mounted under the base path)."""
    feed = WireFeed(app[keys.BUS])
    screen = screen_adds if app[keys.SETTINGS].allow_unsafe_options else None
    hub = Hub(
        feed,
        ClientEvents(lambda: app[keys.DOWNLOADS]),
        gate=lambda principal, name, data: check_command(
            app[keys.ACCESS], principal, name, data, screen
        ),
    )
    socket_io = SocketIOServer(hub)
    app[keys.WIRE] = feed
    app[keys.HUB] = hub
    routes = [("GET", "/ws", hub.handle_websocket), *socket_io.routes()]
    # A page on another site must not listen in or send commands: sockets need an allowed
    # Origin for every request, the GETs of socket.io's polling included.
    add_routes(app.router, [(method, path, socket_door(h)) for method, path, h in routes])
    declare(app, API)

    async def live_events(app: web.Application) -> AsyncIterator[None]:
        feed.open()
        await hub.open()
        yield
        await hub.close()
        await socket_io.close()
        feed.close()

    async def close_clients(app: web.Application) -> None:
        # aiohttp waits for running handlers before the cleanup step, and a live socket's
        # handler only ends when its client leaves: close them first.
        await hub.disconnect_all()

    app.cleanup_ctx.append(live_events)
    app.on_shutdown.append(close_clients)
