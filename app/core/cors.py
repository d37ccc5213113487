"""CORS: which other origins may send preflighted requests and read the answers.

Allowed origins (the server's own, browser extensions, ``YTP_CORS_ORIGINS``; see
``origins``) get their preflights answered and may read answers. Any other origin's
preflight is refused, so a foreign page can never send a JSON body or a header of its own
choosing: a JSON content type, an ``Authorization`` it set, ``X-API-Key``... all prove that
the page is allowed. Its simple requests still arrive; ``doors`` refuses those that change
something. The quick-add GET is the one answer every origin may read: the bookmarklet runs
on arbitrary sites and shows its message. An API may open every read to every origin
(``public_reads``: OfflineTube's ``allow_origins=["*"]``): GET and HEAD answers, and the
preflights of GETs; its changes keep the rules above.

Answers never carry ``Allow-Credentials``: a cross-origin page can read what explicit
credentials opened, while the session cookie never authorises it (see ``auth``).
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware
from multidict import CIMultiDict

from app.core.origins import OriginPolicy
from app.core.web import ErrorBody, error_response, native_body

ALLOW_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS"
DEFAULT_HEADERS = "authorization, content-type, mode"  # what the browser extension asks for
MAX_AGE = "86400"  # seconds a browser may cache a preflight (browsers cap it lower)
EXPOSE_HEADERS = "Content-Disposition, Content-Length, Retry-After"
QUICK_ADD = ("/api/history/add", "/api/history/add/")  # the bookmarklet's GET
READS = ("GET", "HEAD")


def _add_vary(headers: CIMultiDict[str], *names: str) -> None:
    present = {v.strip().lower() for v in headers.get("Vary", "").split(",") if v.strip()}
    missing = [name for name in names if name.lower() not in present]
    if missing:
        current = headers.get("Vary")
        headers["Vary"] = ", ".join([current, *missing] if current else missing)


def _allow(headers: CIMultiDict[str], origin: str) -> None:
    headers["Access-Control-Allow-Origin"] = origin
    headers["Access-Control-Expose-Headers"] = EXPOSE_HEADERS


class Cors:
    def __init__(
        self,
        policy: OriginPolicy,
        base_path: str,
        error_body: ErrorBody = native_body,
        *,
        public_reads: bool = False,
    ) -> None:
        self._policy = policy
        self._prefix = base_path.rstrip("/")
        self._error_body = error_body
        self._public_reads = public_reads

    def _readable_by(self, request: web.Request, origin: str) -> bool:
        if self._policy.is_allowed(origin, request):
            return True
        if request.method not in READS:
            return False
        return self._public_reads or request.path.removeprefix(self._prefix) in QUICK_ADD

    def _may_preflight(self, request: web.Request, origin: str) -> bool:
        if self._policy.is_allowed(origin, request):
            return True
        asked = request.headers.get("Access-Control-Request-Method", "").upper()
        return self._public_reads and asked in READS

    def preflight(self, request: web.Request) -> web.Response:
        origin = request.headers.get("Origin")
        if origin is None:  # not a browser's preflight: say what exists
            return web.Response(status=204, headers={"Allow": ALLOW_METHODS})
        if not self._may_preflight(request, origin):
            message = f"Origin {origin[:100]!r} is not allowed."
            response = error_response(403, message, self._error_body)
            _add_vary(response.headers, "Origin")
            return response
        response = web.Response(status=204)
        headers = response.headers
        headers["Allow"] = ALLOW_METHODS
        _allow(headers, origin)
        headers["Access-Control-Allow-Methods"] = ALLOW_METHODS
        requested = request.headers.get("Access-Control-Request-Headers", "").strip()
        headers["Access-Control-Allow-Headers"] = requested or DEFAULT_HEADERS
        headers["Access-Control-Max-Age"] = MAX_AGE
        if request.headers.get("Access-Control-Request-Private-Network") == "true":
            headers["Access-Control-Allow-Private-Network"] = "true"  # Chrome, to loopback
        _add_vary(
            headers,
            "Origin",
            "Access-Control-Request-Method",
            "Access-Control-Request-Headers",
        )
        return response

    def decorate(self, request: web.Request, headers: CIMultiDict[str]) -> None:
        origin = request.headers.get("Origin")
        _add_vary(headers, "Origin")
        if origin and self._readable_by(request, origin):
            _allow(headers, origin)

    def middleware(self) -> Middleware:
        @web.middleware
        async def cors(request: web.Request, handler: Handler) -> web.StreamResponse:
            if request.method == "OPTIONS":
                return self.preflight(request)
            try:
                response = await handler(request)
            except web.HTTPException as exc:  # redirects and the like pass as exceptions
                self.decorate(request, exc.headers)
                raise
            if not response.prepared:
                self.decorate(request, response.headers)
            return response

        return cors
