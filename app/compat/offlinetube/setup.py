"""OfflineTube's declaration: its port and prefix, its errors, and who may call what.

The original has no credentials. Here a request with ``X-API-Key`` is checked against the
keys, and the key's role applies to each route (the table below; a route it does not list
needs ``admin``); without a key, the native credentials apply when they are on, and the
operator they admit, or the open service without auth, may do everything.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app import keys
from app.access.middleware import API_KEY_HEADER, PRINCIPAL, refusal
from app.access.permissions import Permission
from app.access.rules import Table, needed
from app.compat.layer import Layer, detail_body
from app.compat.offlinetube import routes
from app.compat.offlinetube.auth import native_credentials
from app.core.proxies import client_address
from app.settings import Settings

READ, ADD, ADMIN = Permission.READ, Permission.ADD, Permission.ADMIN
PREFIX = "/ot"

PERMISSIONS: Table = {
    ("GET", "/"): READ,
    ("GET", "/openapi.json"): READ,
    ("GET", "/api/downloads"): READ,
    ("GET", "/api/downloads/{id}"): READ,
    ("GET", "/api/download/{id}/file"): READ,
    ("GET", "/api/stream/{filename}"): READ,
    ("GET", "/api/thumbnails/{task_id}"): READ,
    # Each of these runs yt-dlp: what a downloader may do, within its rate limit.
    ("POST", "/api/download"): ADD,
    ("DELETE", "/api/downloads/{id}"): ADD,
    ("GET", "/api/search"): ADD,
    ("GET", "/api/trending"): ADD,
    ("POST", "/api/info"): ADD,
    # Deleting a file is a file action.
    ("DELETE", "/api/downloads/{id}/remove"): ADMIN,
}
RATED = frozenset({("POST", "/api/download")})


def _route(request: web.Request, settings: Settings) -> tuple[str, str] | None:
    """(method, path in the layer) of the matched route, under ``/ot`` or on its port."""
    resource = request.match_info.route.resource
    if request.match_info.http_exception is not None or resource is None:
        return None
    canonical = resource.canonical
    mounted = settings.base_path.rstrip("/") + PREFIX
    if canonical == mounted or canonical.startswith(mounted + "/"):
        canonical = canonical[len(mounted) :]
    return request.method, canonical


def credentials(settings: Settings) -> Middleware:
    basic = native_credentials(settings)  # None without auth
    proxies = settings.trusted_proxies

    @web.middleware
    async def check(request: web.Request, handler: Handler) -> web.StreamResponse:
        raw = request.headers.get(API_KEY_HEADER)
        if raw is None:
            return await handler(request) if basic is None else await basic(request, handler)
        access = request.config_dict[keys.ACCESS]
        principal = access.check(raw, client_address(request, proxies))
        request[PRINCIPAL] = principal
        route = _route(request, settings)
        if route is not None:
            permission = needed(PERMISSIONS, *route)
            if not principal.allows(permission):
                raise refusal(permission)
            if (route[0], route[1].rstrip("/")) in RATED:
                access.take_token(principal)
        return await handler(request)

    return check


LAYER = Layer(
    name="OfflineTube",
    routes=routes.setup,
    error_body=detail_body,
    auth=credentials,
    prefix=PREFIX,
    port=lambda settings: settings.offlinetube_port,
    public_reads=True,  # the seed's allow_origins=["*"], while auth is on (see Doors)
)
