"""Several APIs in one process: the native app holds the services, layers are mounted on it.

The services are built once, by the native app's ``cleanup_ctx``. A layer is served:

- under its prefix on the main port, as a sub-app of the native app (inside
  ``YTP_BASE_PATH``): ``request.config_dict`` reaches the services up the app chain; with
  the prefix ``/``, at the root beside the native routes (``root``);
- at the root of its own port when its port setting is on. One ``AppRunner`` serves one
  app, and its sites all serve that app's routes, so each port gets a runner of its own
  over a second instance of the layer's app, which is given the native app's keys (the
  same service objects). The ports open once every service is (``on_startup`` runs after
  every ``cleanup_ctx``) and close before any service does (``on_shutdown``; and in
  ``on_cleanup``, which a failed start-up still reaches).

aiohttp runs a parent app's middlewares before a sub-app's: ``own_requests`` keeps the
native chain (Basic auth, ``{"error"}``) to the native app's own routes, so every API
passes its own doors, auth and error body, and only those.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.compat.layer import Layer
from app.compat.root import mount_at_root
from app.settings import Settings

log = logging.getLogger(__name__)


def own_requests(owner: web.Application, middlewares: Iterable[Middleware]) -> list[Middleware]:
    """Middlewares that act only on requests routed to ``owner`` (not to its sub-apps)."""
    return [_scoped(owner, middleware) for middleware in middlewares]


def _scoped(owner: web.Application, middleware: Middleware) -> Middleware:
    @web.middleware
    async def scoped(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.match_info.apps[-1] is not owner:
            return await handler(request)
        return await middleware(request, handler)

    return scoped


def mount(native: web.Application, settings: Settings, layers: Sequence[Layer]) -> None:
    """Call after the native routes, before the native app is put under a base path."""
    for layer in layers:
        if layer.prefix == "/":
            try:
                mount_at_root(native, layer.build(settings))
            except ValueError as error:
                raise ValueError(f"{layer.name}: {error}") from None
        elif layer.prefix is not None:
            _check_free(native, layer)
            native.add_subapp(layer.prefix, layer.build(settings))
    ports = LayerPorts(settings, [layer for layer in layers if layer.port(settings) is not None])
    native.on_startup.append(ports.start)
    native.on_shutdown.append(ports.close)
    native.on_cleanup.append(ports.close)


def _check_free(native: web.Application, layer: Layer) -> None:
    prefix = layer.prefix
    for resource in native.router.resources():
        path = resource.canonical
        if path == prefix or path.startswith(f"{prefix}/"):
            raise ValueError(f"{layer.name}: the prefix {prefix} is taken by {path}")


class LayerPorts:
    """The layers whose port setting is on, each at the root of its port."""

    def __init__(self, settings: Settings, layers: Sequence[Layer]) -> None:
        self._settings = settings
        self._layers = layers
        self._runners: list[web.AppRunner] = []

    async def start(self, native: web.Application) -> None:
        try:
            for layer in self._layers:
                await self._serve(native, layer)
        except BaseException:
            await self.close(native)
            raise

    async def _serve(self, native: web.Application, layer: Layer) -> None:
        host, port = self._settings.host, layer.port(self._settings)
        assert port is not None
        app = layer.build(self._settings)
        for key, value in native.items():
            if key not in app:  # the layer's own keys (its OpenAPI declarations) stay its own
                app[key] = value  # the services, shared: nothing is built twice
        runner = web.AppRunner(app)
        self._runners.append(runner)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
        except OSError as error:
            reason = error.strerror or error
            raise RuntimeError(f"{layer.name}: cannot listen on {host}:{port}: {reason}") from error
        log.info("%s API at the root of %s:%d", layer.name, host, port)

    async def close(self, native: web.Application) -> None:
        runners, self._runners = self._runners, []
        for runner in reversed(runners):
            await runner.cleanup()
