"""The layer's credential check: ``Authorization: Token <key>``, 403 ``{"detail"}`` else.

Login and the video page the extension opens in a tab carry no token: their handlers are
marked ``public``. The user a token belongs to is kept on the request for the handlers.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.compat.tubearchivist.context import context
from app.core.errors import Forbidden
from app.settings import Settings

_PUBLIC = "_tubearchivist_public"
USER = web.RequestKey("tubearchivist_user", int)


def public(handler: Handler) -> Handler:
    setattr(handler, _PUBLIC, True)
    return handler


def user_of(request: web.Request) -> int:
    return request[USER]


def token_auth(settings: Settings) -> Middleware:
    @web.middleware
    async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
        if getattr(request.match_info.handler, _PUBLIC, False):
            return await handler(request)
        scheme, _, presented = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "token" or not presented.strip():
            raise Forbidden("Authentication credentials were not provided.")
        user = context(request).tokens.user_for(presented.strip())
        if user is None:
            raise Forbidden("Invalid token.")
        request[USER] = user
        return await handler(request)

    return check_token
