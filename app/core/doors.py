"""The browser doors: one set of rules, as middlewares, for every route, ``/ws`` and socket.io.

In order, outermost first:
1. Host: with the rebinding check on (see ``origins``), a foreign ``Host`` is 403.
2. CORS (``cors``): allowed origins only; other origins' preflights are 403.
3. Same origin: every POST, PUT, PATCH and DELETE, every WebSocket handshake and every
   socket.io request needs proof that no foreign page sent it: ``Sec-Fetch-Site`` or
   ``Origin`` naming the server itself, an extension or ``YTP_CORS_ORIGINS`` — or no such
   header at all (scripts) — or a credential the browser cannot have added on its own.
   Nothing in a form (its content type, cached Basic credentials, the cookie) is proof.
4. Credentials (``auth``), when they are configured: the native API's; a compatibility
   API brings its own (``app.compat``) and gets the same doors, answering in its own body.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.core.auth import Guard
from app.core.cors import Cors
from app.core.origins import OriginPolicy
from app.core.web import ErrorBody, error_response, native_body
from app.settings import Settings

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_SOCKET_DOOR = "_tubestash_socket_door"


def socket_door(handler: Handler) -> Handler:
    """Marks a live-socket handler: every request to it (GETs too) needs a trusted origin."""

    async def door(request: web.Request) -> web.StreamResponse:
        return await handler(request)

    setattr(door, _SOCKET_DOOR, True)
    return door


def needs_proof(request: web.Request) -> bool:
    if request.method in UNSAFE_METHODS:
        return True
    if request.headers.get("Upgrade", "").lower() == "websocket":
        return True
    return getattr(request.match_info.handler, _SOCKET_DOOR, False)


def explicit_credential(request: web.Request, auth_enabled: bool) -> bool:
    """A credential that a foreign page can only send by knowing it.

    Browsers add cached Basic credentials (and cookies) to a page's simple requests on
    their own, so ``Authorization: Basic`` proves nothing. Any other ``Authorization`` and
    ``X-API-Key`` need a preflight a foreign origin never passes. ``?apikey=`` is in the
    URL the page wrote: it proves the page knows the secret, once ``auth`` checks it.
    """
    scheme = request.headers.get("Authorization", "").partition(" ")[0]
    if (scheme and scheme.lower() != "basic") or "X-API-Key" in request.headers:
        return True
    return auth_enabled and "apikey" in request.query


class Doors:
    def __init__(
        self,
        settings: Settings,
        *,
        error_body: ErrorBody = native_body,
        basic_auth: bool = True,
        public_reads: bool = False,
        api_keys: bool = False,
    ) -> None:
        """``basic_auth=False``: the API checks credentials of its own, after the doors.
        ``api_keys``: a middleware after the doors checks ``X-API-Key`` (see ``Guard``).
        ``public_reads``: every origin may read its GET answers (``cors``), but only while
        the server demands credentials: a foreign page sends none (no answer allows them),
        so it reads nothing a key did not open. Without auth it would read every list and
        file, so the API's reads then keep the allow-list like every other door."""
        self.policy = OriginPolicy.of(settings)
        self._auth_enabled = settings.auth_enabled
        self._error_body = error_body
        public_reads = public_reads and settings.auth_enabled
        self._cors = Cors(self.policy, settings.base_path, error_body, public_reads=public_reads)
        guarded = settings.auth_enabled and basic_auth
        self.guard = Guard(settings, self.policy, api_keys=api_keys) if guarded else None

    async def open(self, app: web.Application) -> None:
        """Start-up: the session key is read (or replaced) now, not on the first request."""
        if self.guard is not None:
            await self.guard.open()

    def middlewares(self) -> list[Middleware]:
        chain = [self._host_check(), self._cors.middleware(), self._origin_check()]
        if self.guard is not None:
            chain.append(self.guard.middleware())
        return chain

    def _host_check(self) -> Middleware:
        @web.middleware
        async def host_check(request: web.Request, handler: Handler) -> web.StreamResponse:
            if not self.policy.host_allowed(request):
                host = request.headers.get("Host", "")[:100]
                message = f"Host {host!r} is not allowed here; add it to YTP_ALLOWED_HOSTS."
                return error_response(403, message, self._error_body)
            return await handler(request)

        return host_check

    def _origin_check(self) -> Middleware:
        @web.middleware
        async def origin_check(request: web.Request, handler: Handler) -> web.StreamResponse:
            if (
                needs_proof(request)
                and not self.policy.from_allowed_origin(request)
                and not explicit_credential(request, self._auth_enabled)
            ):
                return error_response(403, _refusal(request), self._error_body)
            return await handler(request)

        return origin_check


def _refusal(request: web.Request) -> str:
    origin = request.headers.get("Origin") or request.headers.get("Sec-Fetch-Site") or ""
    return (
        f"Cross-origin request refused (from {origin[:100]!r}): send credentials explicitly, "
        "or add the origin to YTP_CORS_ORIGINS."
    )
