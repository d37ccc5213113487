"""What a compatibility API declares: its routes, where it listens, its errors and its auth.

A layer is its own ``web.Application`` over the services the native app built: the
browser doors (Host, CORS, same-origin proof) apply to it as to every API, but answer in
its error body; its own credentials check replaces the native Basic auth.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Middleware

from app.core.doors import Doors
from app.core.web import ErrorBody, error_middleware_for
from app.settings import Settings

Routes = Callable[[web.Application], None]
Auth = Callable[[Settings], Middleware | None]
Port = Callable[[Settings], int | None]


def detail_body(status: int, message: str) -> Mapping[str, Any]:
    """TubeArchivist's and OfflineTube's errors (Django REST framework, FastAPI)."""
    return {"detail": message}


def error_and_message_body(status: int, message: str) -> Mapping[str, Any]:
    """yt-dlp-host's: its client reads ``error``, and ``message`` when the answer is 404."""
    return {"error": message, "message": message}


def no_port(settings: Settings) -> int | None:
    return None


@dataclass(frozen=True, slots=True)
class Layer:
    """One compatibility API.

    ``routes`` adds its routes to a fresh app; handlers reach the shared services with
    ``request.config_dict[keys.X]`` (the same under the prefix and on the layer's port).
    ``prefix`` mounts it on the main port, inside ``YTP_BASE_PATH`` (None: not there);
    ``"/"`` mounts it at the root, beside the native routes, for a layer whose first path
    segments clash with none of them (``mount`` checks).
    ``port`` reads the layer's own port setting (None, the default: no port of its own);
    that port serves the layer at its root, for clients that keep only scheme, host and
    port. ``auth`` builds the middleware that checks the layer's credentials (None: none).
    ``public_reads`` lets every origin read its GET answers (the doors' ``Cors``).
    """

    name: str
    routes: Routes
    error_body: ErrorBody
    auth: Auth
    prefix: str | None = None
    port: Port = no_port
    public_reads: bool = False

    def __post_init__(self) -> None:
        prefix = self.prefix
        if prefix is not None and (
            not prefix.startswith("/") or (prefix.endswith("/") and prefix != "/") or "{" in prefix
        ):
            raise ValueError(f"{self.name}: a prefix is a fixed path like /ta, not {prefix!r}")

    def build(self, settings: Settings) -> web.Application:
        """A new app for one mounting: the doors, the errors, the auth, then the routes."""
        doors = Doors(
            settings, error_body=self.error_body, basic_auth=False, public_reads=self.public_reads
        )
        chain = [*doors.middlewares(), error_middleware_for(self.error_body)]
        auth = self.auth(settings)
        if auth is not None:
            chain.append(auth)  # inside the errors: it may raise Unauthorized, Forbidden...
        app = web.Application(middlewares=chain, client_max_size=settings.max_request_size)
        self.routes(app)
        return app
