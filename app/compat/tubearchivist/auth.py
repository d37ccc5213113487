"""The layer's credential check: ``Authorization: Token <token>``, 403 ``{"detail"}`` else.

A token is the user's (``Tokens``, derived from the Basic-auth credentials: an admin, as
that user is) or an API key, whose role applies to each route (``permissions.py``; a
route it does not list needs ``admin``). A wrong token is TubeArchivist's 403, and counts
against its address as a wrong ``X-API-Key`` does: an address that keeps sending them
gets 429 for a while. Login and the video page the extension opens in a tab carry no
token: their handlers are marked ``public``. The user a token belongs to is kept on the
request for the handlers: the Basic-auth user is user 1, each key a user of its own
(``library/users.py``), so each keeps its own watch progress.
"""

from __future__ import annotations

import logging

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.access.middleware import PRINCIPAL, refusal
from app.access.permissions import OPERATOR, Principal
from app.access.rules import needed, route_key
from app.compat.tubearchivist.context import Context, context
from app.compat.tubearchivist.permissions import PERMISSIONS, RATED
from app.core.errors import Forbidden, TooManyRequests
from app.core.proxies import client_address
from app.library.users import user_of as library_user
from app.settings import Settings

log = logging.getLogger(__name__)

_PUBLIC = "_tubearchivist_public"
USER = web.RequestKey("tubearchivist_user", int)
PREFIX = "/ta"  # where the layer is mounted on the main port (``layer.py``)


def public(handler: Handler) -> Handler:
    setattr(handler, _PUBLIC, True)
    return handler


def user_of(request: web.Request) -> int:
    return request[USER]


def _route(request: web.Request, mounted: str) -> tuple[str, str] | None:
    """(method, path in the layer) of the matched route, under ``/ta`` or on its port."""
    resource = request.match_info.route.resource
    if request.match_info.http_exception is not None or resource is None:
        return None
    canonical = resource.canonical
    if canonical == mounted or canonical.startswith(mounted + "/"):
        canonical = canonical[len(mounted) :]
    return route_key(request.method, canonical)


def _principal(ctx: Context, presented: str, address: str) -> Principal:
    """Who the token stands for; 429 for an address that keeps sending wrong ones."""
    wait = ctx.access.failed_elsewhere(address)
    if wait is not None:
        raise TooManyRequests("Too many failed authentication attempts; try later.", wait)
    if ctx.tokens.user_for(presented) is not None:
        return OPERATOR
    principal = ctx.access.authenticate_key(presented)
    if principal is None:
        ctx.access.record_failure(address)
        log.warning("wrong TubeArchivist token from %s", address)
        raise Forbidden("Invalid token.")
    return principal


def token_auth(settings: Settings) -> Middleware:
    proxies = settings.trusted_proxies
    mounted = settings.base_path.rstrip("/") + PREFIX

    @web.middleware
    async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        if getattr(request.match_info.handler, _PUBLIC, False):
            return await handler(request)
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "token" or not presented.strip():
            raise Forbidden("Authentication credentials were not provided.")
        ctx = context(request)
        principal = _principal(ctx, presented.strip(), client_address(request, proxies))
        request[PRINCIPAL] = principal
        route = _route(request, mounted)
        if route is not None:
            permission = needed(PERMISSIONS, *route)
            if not principal.allows(permission):
                raise refusal(permission)
            if route in RATED:
                ctx.access.take_token(principal)
        request[USER] = library_user(principal)
        return await handler(request)

    return check_token
