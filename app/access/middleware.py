"""The native API's access check: who the request is, and whether its route allows it.

The doors run first (Host, CORS, same origin, then Basic auth or the session cookie when
``YTP_AUTH_*`` is set; a request with ``X-API-Key`` skips Basic auth and is checked here).

- ``X-API-Key`` present: the key must be valid (401; an address sending wrong keys gets
  429), and its role applies, whether auth is configured or not.
- No key: the Basic-auth user, admitted by the doors, is an admin; with no auth
  configured at all, the service stays open as before (loopback and the doors' checks),
  so a request without a key acts as the operator.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.access.permissions import OPERATOR, Permission, Principal
from app.access.rules import TASK_CREATION, command_needs, needed, route_key
from app.access.service import Access
from app.core.errors import Forbidden, InvalidInput
from app.core.limits import load_json
from app.core.proxies import client_address
from app.settings import Settings

API_KEY_HEADER = "X-API-Key"
Screen = Callable[[Any], None]  # raises InvalidInput for an add a non-admin may not send
PRINCIPAL = web.RequestKey("principal", Principal)


def principal_of(request: web.Request) -> Principal:
    """Who sent the request (set by the access middleware of its API)."""
    principal = request.get(PRINCIPAL)
    return principal if isinstance(principal, Principal) else OPERATOR


def route_of(request: web.Request, base_path: str) -> tuple[str, str] | None:
    """(method, canonical path inside the base path) of the matched route; None on 404/405."""
    resource = request.match_info.route.resource
    if request.match_info.http_exception is not None or resource is None:
        return None
    canonical = resource.canonical
    if base_path != "/":
        canonical = canonical.removeprefix(base_path)
    return route_key(request.method, canonical)


def refusal(permission: Permission) -> Forbidden:
    return Forbidden(f"This key may not do that (it needs the '{permission}' permission).")


def native_access(
    access: Access,
    settings: Settings,
    table: Mapping[tuple[str, str], Permission],
    screen: Screen | None = None,
) -> Middleware:
    """``screen`` checks the adds of keys that are not admins (see ``check_command``)."""
    proxies = settings.trusted_proxies

    @web.middleware
    async def check_access(request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = request.headers.get(API_KEY_HEADER)
        principal = OPERATOR
        if raw is not None:
            principal = access.check(raw, client_address(request, proxies))
        request[PRINCIPAL] = principal
        route = route_of(request, settings.base_path)
        if route is not None:
            permission = needed(table, *route)
            if not principal.allows(permission):
                raise refusal(permission)
            if route in TASK_CREATION:
                access.take_token(principal)
                if screen is not None and not principal.is_admin and request.body_exists:
                    await _screen_body(request, screen)
        return await handler(request)

    return check_access


async def _screen_body(request: web.Request, screen: Screen) -> None:
    try:
        data = load_json(await request.read())  # aiohttp keeps the body for the handler
    except InvalidInput:
        return  # the handler answers a body it cannot read
    screen(data)


def check_command(
    access: Access,
    principal: Principal,
    name: str,
    data: Any = None,
    screen: Screen | None = None,
) -> None:
    """A command sent over ``/ws`` or socket.io: the same rules as the HTTP routes.

    ``screen``, given when the operator allows unsafe yt-dlp options, refuses them in the
    adds of keys that are not admins: that setting trusts the operator's users, not keys.
    """
    permission = command_needs(name)
    if not principal.allows(permission):
        raise refusal(permission)
    if name == "add_url":
        access.take_token(principal)
        if screen is not None and not principal.is_admin:
            screen(data)
