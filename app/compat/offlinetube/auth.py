"""OfflineTube's credentials: the original has none; here, the native ones when they are on.

With ``YTP_AUTH_USERNAME``/``YTP_AUTH_PASSWORD`` set, the layer asks what the native API
asks (Basic, ``?apikey=``, the session cookie, the login throttle) and refuses in its own
``{"detail"}`` body. This is the hook to point at the API-key check when keys exist.
"""

from __future__ import annotations

import json

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.core.auth import Guard
from app.core.origins import OriginPolicy
from app.settings import Settings

KEPT_HEADERS = ("WWW-Authenticate", "Retry-After")


def native_credentials(settings: Settings) -> Middleware | None:
    if not settings.auth_enabled:
        return None
    guard = Guard(settings, OriginPolicy.of(settings))

    @web.middleware
    async def credentials(request: web.Request, handler: Handler) -> web.StreamResponse:
        reached = False

        async def through(inner: web.Request) -> web.StreamResponse:
            nonlocal reached
            reached = True
            return await handler(inner)

        answer = await guard(request, through)
        return answer if reached else _in_detail(answer)

    return credentials


def _in_detail(refusal: web.StreamResponse) -> web.Response:
    """The guard's refusal (401, 429) with its status and headers, in ``{"detail"}``."""
    body = refusal.body if isinstance(refusal, web.Response) else None
    message = json.loads(body).get("error", "") if isinstance(body, bytes) else ""
    headers = {name: refusal.headers[name] for name in KEPT_HEADERS if name in refusal.headers}
    return web.json_response(
        {"detail": message or "Authorization Required."}, status=refusal.status, headers=headers
    )
