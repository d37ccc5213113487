"""CORS: browser extensions and the bookmarklet call the API from other origins.

Preflights are answered before authentication (browsers never send credentials on them).
Answers carry ``Access-Control-Allow-Origin`` for any origin but never
``Allow-Credentials``: a cross-origin page can read what explicit credentials (a header or
``?apikey=``) opened, while the session cookie never authorises it (see ``auth``).
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler
from multidict import CIMultiDict

ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
DEFAULT_HEADERS = "authorization, content-type, mode"  # what the browser extension asks for
MAX_AGE = "86400"  # seconds a browser may cache a preflight (browsers cap it lower)
EXPOSE_HEADERS = "Content-Disposition, Content-Length, Retry-After"


def _add_vary(headers: CIMultiDict[str], *names: str) -> None:
    present = {v.strip().lower() for v in headers.get("Vary", "").split(",") if v.strip()}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        current = headers.get("Vary")
        headers["Vary"] = ", ".join([current, *missing] if current else missing)


def _allow(headers: CIMultiDict[str], origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS
    _add_vary(headers, "Origin")


def preflight(request: web.Request) -> web.Response:
    response = web.Response(status=204)
    headers = response.headers
    headers["Allow"] = ALLOW_METHODS
    origin = request.headers.get("Origin")
    if origin:
        _allow(headers, origin)
        headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        requested = request.headers.get("Access-Control-Request-Headers", "").strip()
        headers["Access-Control-Allow-Headers"] = requested or DEFAULT_HEADERS
        headers["Access-Control-Max-Age"] = MAX_AGE
        _add_vary(headers, "Access-Control-Request-Method", "Access-Control-Request-Headers")
    return response


@web.middleware
async def cors_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    if request.method == "OPTIONS":
        return preflight(request)
    origin = request.headers.get("Origin")
    try:
        response = await handler(request)
    except web.HTTPException as exc:  # redirects and the like pass through as exceptions
        if origin:
            _allow(exc.headers, origin)
        raise
    if origin and not response.prepared:
        _allow(response.headers, origin)
    return response
