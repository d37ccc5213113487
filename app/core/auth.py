"""Access control: Basic credentials, ``?apikey=``, and the session cookie a login earns.

With ``YTP_AUTH_USERNAME`` and ``YTP_AUTH_PASSWORD`` set, every request needs one of them,
the UI's files and the live sockets included. A browser cannot put a header on a WebSocket,
so a successful Basic login sets an HMAC-signed session cookie; the cookie never authorises
a cross-origin request, so another site cannot ride on it. A user name that keeps failing
is answered 429 for a while instead of being let through to guess further.
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
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app.core.origins import OriginPolicy
from app.core.proxies import client_address
from app.core.web import error_response
from app.settings import Settings

log = logging.getLogger(__name__)

REALM = "Tubestash"
COOKIE_NAME = "tubestash_session"
SESSION_LIFETIME = 30 * 24 * 3600  # seconds
KEY_FILE = "session.key"
KEY_BYTES = 32
FAILURE_LIMIT = 5  # failed logins for one name from one address before it must wait
NAME_FAILURE_LIMIT = 20  # failed logins for one name from anywhere before it must wait
FAILURE_WINDOW = 60.0  # seconds
TRACKED_KEYS = 10_000  # per throttle; the oldest are forgotten first, so memory stays bounded
MAX_CREDENTIAL_LENGTH = 4096
_OWN_AUTH = "_tubestash_own_auth"
API_KEY_HEADER = "X-API-Key"


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
    """The signing key, made once with ``secrets`` and kept readable by the owner only.

    A key that cannot be read or is not one (truncated, edited, a folder) is replaced, with
    one warning: sessions end, nothing else does. If no new one can be written either, the
    key lives in memory until the next start.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        key = _read_key(path)
        if key is not None:
            return key
        return _replace_key(path)
    key = secrets.token_bytes(KEY_BYTES)
    with os.fdopen(fd, "w") as file:
        file.write(key.hex())
    return key


def _read_key(path: Path) -> bytes | None:
    try:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except (OSError, ValueError):
        return None
    return key if len(key) >= KEY_BYTES else None


def _replace_key(path: Path) -> bytes:
    key = secrets.token_bytes(KEY_BYTES)
    spare = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    try:
        fd = os.open(spare, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(key.hex())
        if path.is_dir():
            path.rmdir()
        spare.replace(path)
    except OSError as error:
        spare.unlink(missing_ok=True)
        log.warning(
            "%s is not a valid session key and cannot be replaced (%s); using a key that "
            "lasts until the next start",
            path,
            error.strerror or error,
        )
        return key
    log.warning("%s was not a valid session key; made a new one (sessions ended)", path)
    return key


class FailureThrottle:
    """Failed attempts per key in a sliding window, for a bounded number of keys."""

    def __init__(self, limit: int, window: float, capacity: int) -> None:
        self._limit = limit
        self._window = window
        self._capacity = capacity
        self._failures: OrderedDict[Hashable, deque[float]] = OrderedDict()

    def retry_after(self, key: Hashable, now: float) -> float | None:
        """Seconds the key must wait before it may try again, or None."""
        failures = self._failures.get(key)
        if failures is None:
            return None
        while failures and failures[0] <= now - self._window:
            failures.popleft()
        if not failures:
            del self._failures[key]
            return None
        if len(failures) < self._limit:
            return None
        return failures[0] + self._window - now

    def failed(self, key: Hashable, now: float) -> None:
        failures = self._failures.pop(key, None) or deque(maxlen=self._limit)
        failures.append(now)
        self._failures[key] = failures
        while len(self._failures) > self._capacity:
            self._failures.popitem(last=False)

    def succeeded(self, key: Hashable) -> None:
        self._failures.pop(key, None)

    def __len__(self) -> int:
        return len(self._failures)


class LoginThrottle:
    """Failed logins counted per user name at one client address, and per user name.

    Behind a proxy everyone may share one address, so the address alone would let one
    person's typos, or a stranger guessing under any name, lock everyone out. Guesses under
    another name count for that name only; a user's own bad passwords lock that user at
    that address after ``FAILURE_LIMIT``, and everywhere after ``NAME_FAILURE_LIMIT``, so
    guessing from many addresses is slowed too. A success clears its address's count only.
    """

    def __init__(self, capacity: int = TRACKED_KEYS) -> None:
        self._here = FailureThrottle(FAILURE_LIMIT, FAILURE_WINDOW, capacity)
        self._everywhere = FailureThrottle(NAME_FAILURE_LIMIT, FAILURE_WINDOW, capacity)

    @staticmethod
    def _name(username: str) -> bytes:
        return hashlib.blake2b(username.encode(), digest_size=16).digest()  # bounded size

    def retry_after(self, username: str, address: str, now: float) -> float | None:
        name = self._name(username)
        waits = [
            self._here.retry_after((name, address), now),
            self._everywhere.retry_after(name, now),
        ]
        return max((wait for wait in waits if wait is not None), default=None)

    def failed(self, username: str, address: str, now: float) -> None:
        name = self._name(username)
        self._here.failed((name, address), now)
        self._everywhere.failed(name, now)

    def succeeded(self, username: str, address: str) -> None:
        self._here.succeeded((self._name(username), address))

    def size(self) -> int:
        """Keys held in memory, for both counts."""
        return len(self._here) + len(self._everywhere)


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
    """Credentials on every route of an app, the session cookie, and the login throttle."""

    def __init__(
        self,
        settings: Settings,
        policy: OriginPolicy,
        clock: Callable[[], float] = time.monotonic,
        *,
        api_keys: bool = False,
    ) -> None:
        """``api_keys``: a request with ``X-API-Key`` is let through to the API's own key
        check (a middleware after this one), instead of asking it for Basic credentials."""
        self._api_keys = api_keys
        self._credentials = Credentials(settings.auth_username, settings.auth_password)
        self._key_path = settings.config_path / KEY_FILE
        self._cookie_path = settings.base_path
        self._policy = policy
        self._throttle = LoginThrottle()
        self._clock = clock
        self._signer: SessionSigner | None = None
        self._lock = asyncio.Lock()

    async def open(self) -> SessionSigner:
        async with self._lock:
            if self._signer is None:
                key = await asyncio.to_thread(load_key, self._key_path)
                self._signer = SessionSigner(key, self._credentials, SESSION_LIFETIME)
        return self._signer

    def middleware(self) -> Middleware:
        @web.middleware
        async def require_credentials(request: web.Request, handler: Handler) -> web.StreamResponse:
            return await self(request, handler)

        return require_credentials

    async def __call__(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if getattr(request.match_info.handler, _OWN_AUTH, False):
            return await handler(request)
        if self._api_keys and API_KEY_HEADER in request.headers:
            return await handler(request)
        # Opened at start-up; an app built without its start-up hooks opens it here.
        signer = self._signer or await self.open()
        now = time.time()
        cookie = request.cookies.get(COOKIE_NAME)
        expiry = signer.expiry(cookie, now) if cookie else None
        presented = _presented(request)
        if presented is None:
            if expiry is not None and self._policy.from_own_origin(request):
                return await handler(request)
            return _unauthorized()
        decoded = decode_basic(presented[1])
        username = decoded[0] if decoded else ""
        address = client_address(request, self._policy.trusted_proxies)
        wait = self._throttle.retry_after(username, address, self._clock())
        if wait is not None:
            return _too_many(wait)
        if decoded is None or not self._credentials.match(*decoded):
            self._throttle.failed(username, address, self._clock())
            log.warning("failed login from %s on %s", address, request.path)
            return _unauthorized()
        self._throttle.succeeded(username, address)
        response = await handler(request)
        fresh = expiry is not None and expiry - now > signer.lifetime / 2
        if presented[0] == "basic" and not fresh and self._policy.from_own_origin(request):
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
