"""Access control: Basic credentials, ``?apikey=``, and the session cookie a login earns.

With ``YTP_AUTH_USERNAME`` and ``YTP_AUTH_PASSWORD`` set, every request needs one of them,
the UI's files and the live sockets included. A browser cannot put a header on a WebSocket,
so a successful Basic login sets an HMAC-signed session cookie; the cookie never authorises
a cross-origin request, so another site cannot ride on it. Addresses that keep failing are
answered 429 for a while instead of being let through to guess further.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import logging
import math
import os
import secrets
import time
from collections import OrderedDict, deque
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.core.web import error_response
from app.settings import Settings

log = logging.getLogger(__name__)

REALM = "Tubestash"
COOKIE_NAME = "tubestash_session"
SESSION_LIFETIME = 30 * 24 * 3600  # seconds
KEY_FILE = "session.key"
FAILURE_LIMIT = 5  # failed attempts per address within the window before it must wait
FAILURE_WINDOW = 60.0  # seconds
TRACKED_ADDRESSES = 10_000  # the oldest are forgotten first, so memory stays bounded
MAX_CREDENTIAL_LENGTH = 4096
_OWN_AUTH = "_tubestash_own_auth"


def handles_own_auth(handler: Handler) -> Handler:
    """Marks a handler that checks its own credentials (a compatibility API's token)."""
    setattr(handler, _OWN_AUTH, True)
    return handler


def decode_basic(token: str) -> tuple[str, str] | None:
    """``user:password`` from standard or url-safe base64, padded or not; None if garbage."""
    token = token.strip()
    if not token or len(token) > MAX_CREDENTIAL_LENGTH:
        return None
    token = token.rstrip("=").replace("-", "+").replace("_", "/")
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), validate=True)
        text = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    username, colon, password = text.partition(":")
    return (username, password) if colon else None


@dataclass(frozen=True, slots=True)
class Credentials:
    username: str
    password: str

    def match(self, username: str, password: str) -> bool:
        # Both comparisons always run, in constant time, so timing reveals neither part.
        user_ok = hmac.compare_digest(username.encode(), self.username.encode())
        password_ok = hmac.compare_digest(password.encode(), self.password.encode())
        return user_ok & password_ok

    def fingerprint(self) -> bytes:
        """Signed into sessions, so changing the credentials ends every session."""
        return hashlib.sha256(f"{self.username}\0{self.password}".encode()).digest()


class SessionSigner:
    """Cookie values ``<expiry>.<signature>``: nothing secret in them, nothing stored."""

    def __init__(self, key: bytes, credentials: Credentials, lifetime: int) -> None:
        self._key = key
        self._fingerprint = credentials.fingerprint()
        self.lifetime = lifetime

    def _sign(self, expiry: int) -> str:
        digest = hmac.new(self._key, f"{expiry}.".encode() + self._fingerprint, "sha256")
        return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")

    def issue(self, now: float) -> str:
        expiry = int(now) + self.lifetime
        return f"{expiry}.{self._sign(expiry)}"

    def expiry(self, value: str, now: float) -> int | None:
        """When a valid cookie expires; None for a forged, stale or malformed one."""
        stamp, dot, signature = value.partition(".")
        if not dot or not stamp.isdigit() or len(stamp) > 12:
            return None
        expiry = int(stamp)
        if expiry <= now or not hmac.compare_digest(signature, self._sign(expiry)):
            return None
        return expiry


def load_key(path: Path) -> bytes:
    """The signing key, made once with ``secrets`` and kept readable by the owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(path)
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w") as file:
        file.write(key.hex())
    return key


def _read_key(path: Path) -> bytes:
    path.chmod(0o600)
    try:
        key = bytes.fromhex(path.read_text().strip())
    except ValueError:
        key = b""
    if len(key) < 32:
        raise RuntimeError(f"{path} does not hold a valid key; delete it to make a new one")
    return key


class FailureThrottle:
    """Failed attempts per address in a sliding window, for a bounded number of addresses."""

    def __init__(self, limit: int, window: float, capacity: int) -> None:
        self._limit = limit
        self._window = window
        self._capacity = capacity
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()

    def retry_after(self, address: str, now: float) -> float | None:
        """Seconds the address must wait before it may try again, or None."""
        failures = self._failures.get(address)
        if failures is None:
            return None
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[address]
            return None
        if len(failures) < self._limit:
            return None
        return failures[0] + self._window - now

    def failed(self, address: str, now: float) -> None:
        failures = self._failures.pop(address, None) or deque(maxlen=self._limit)
        failures.append(now)
        self._failures[address] = failures
        while len(self._failures) > self._capacity:
            self._failures.popitem(last=False)

    def succeeded(self, address: str) -> None:
        self._failures.pop(address, None)


def is_same_origin(request: web.Request) -> bool:
    """True unless a browser says the request comes from another site or origin."""
    # Browsers send Sec-Fetch-Site and scripts cannot forge it; it survives proxies
    # that rewrite Host. Without it, compare the Origin with the Host the client used.
    site = request.headers.get("Sec-Fetch-Site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    try:
        netloc = urlsplit(origin).netloc
    except ValueError:
        return False
    return bool(netloc) and netloc.lower() == request.host.lower()


def _presented(request: web.Request) -> tuple[str, str] | None:
    """The explicit credential a request carries: ("basic" | "apikey", encoded value)."""
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "basic":
        return "basic", value
    apikey = request.query.get("apikey")
    if apikey is not None:
        # Query parsing turns an unescaped "+" of standard base64 into a space.
        return "apikey", apikey.replace(" ", "+")
    return None


class Guard:
    def __init__(self, settings: Settings) -> None:
        self._credentials = Credentials(settings.auth_username, settings.auth_password)
        self._key_path = settings.config_path / KEY_FILE
        self._cookie_path = settings.base_path
        self._throttle = FailureThrottle(FAILURE_LIMIT, FAILURE_WINDOW, TRACKED_ADDRESSES)
        self._signer: SessionSigner | None = None
        self._lock = asyncio.Lock()

    async def signer(self) -> SessionSigner:
        if self._signer is None:
            async with self._lock:
                if self._signer is None:
                    key = await asyncio.to_thread(load_key, self._key_path)
                    self._signer = SessionSigner(key, self._credentials, SESSION_LIFETIME)
        return self._signer

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if getattr(request.match_info.handler, _OWN_AUTH, False):
            return await handler(request)
        presented = _presented(request)
        signer = await self.signer()
        now = time.time()
        cookie = request.cookies.get(COOKIE_NAME)
        expiry = signer.expiry(cookie, now) if cookie else None
        if presented is None:
            if expiry is not None and is_same_origin(request):
                return await handler(request)
            return _unauthorized()
        address = request.remote or "unknown"
        wait = self._throttle.retry_after(address, time.monotonic())
        if wait is not None:
            return _too_many(wait)
        decoded = decode_basic(presented[1])
        if decoded is None or not self._credentials.match(*decoded):
            self._throttle.failed(address, time.monotonic())
            log.warning("failed login from %s on %s", address, request.path)
            return _unauthorized()
        self._throttle.succeeded(address)
        response = await handler(request)
        fresh = expiry is not None and expiry - now > signer.lifetime / 2
        if presented[0] == "basic" and not fresh and is_same_origin(request):
            self._set_cookie(request, response, signer.issue(now))
        return response

    def _set_cookie(self, request: web.Request, response: web.StreamResponse, value: str) -> None:
        if response.prepared:
            return  # a socket or a stream: its headers are gone; the next page load gets it
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=SESSION_LIFETIME,
            path=self._cookie_path,
            httponly=True,
            samesite="Strict",
            secure=request.secure,
        )


def _unauthorized() -> web.Response:
    response = error_response(401, "Authorization Required.")
    response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}"'
    return response


def _too_many(wait: float) -> web.Response:
    seconds = max(1, math.ceil(wait))
    response = error_response(429, f"Too many failed logins; try again in {seconds} seconds.")
    response.headers["Retry-After"] = str(seconds)
    return response


def auth_middleware(settings: Settings) -> Middleware:
    """The middleware for these settings: a pass-through when no credentials are set."""
    if not settings.auth_enabled:

        @web.middleware
        async def open_door(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await handler(request)

        return open_door
    guard = Guard(settings)

    @web.middleware
    async def require_credentials(request: web.Request, handler: Handler) -> web.StreamResponse:
        return await guard(request, handler)

    return require_credentials
