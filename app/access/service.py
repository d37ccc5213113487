"""``Access``: the API keys (created, listed, revoked), who a key is, and its limits.

Keys are ``ytp_`` and 43 url-safe characters (256 random bits), so one SHA-256 is as good
as a slow hash and lets every request find its key in a dict without waiting. The keys
live in memory (a table of a few rows); SQLite is the truth and is written first.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from collections.abc import Callable, Iterable

from app.access.permissions import Permission, Principal, Role, permissions_of
from app.access.ratelimit import TokenBuckets
from app.access.store import ApiKey, KeyStore
from app.core.auth import TRACKED_KEYS, FailureThrottle
from app.core.db import Database
from app.core.errors import Forbidden, InvalidInput, NotFound, TooManyRequests, Unauthorized
from app.settings import Settings

log = logging.getLogger(__name__)

KEY_PREFIX = "ytp_"
SHOWN_CHARACTERS = 8  # of a key, in lists: enough to tell keys apart, useless to guess
FIRST_KEY_NAME = "admin"
KEY_FAILURE_LIMIT = 10  # wrong keys from one address in FAILURE_WINDOW before it must wait
KEY_FAILURE_WINDOW = 60.0
MAX_KEY_LENGTH = 512
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}")


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def check_name(name: str) -> str:
    if not NAME.fullmatch(name):
        raise InvalidInput(
            "A key name is 1 to 64 letters, digits and _.@- (starting with a letter or digit)."
        )
    return name


class Access:
    def __init__(self, settings: Settings, clock: Callable[[], float] = time.monotonic) -> None:
        self._settings = settings
        self._store: KeyStore | None = None
        self._first_key_due = False
        self._by_hash: dict[str, ApiKey] = {}
        self._failures = FailureThrottle(KEY_FAILURE_LIMIT, KEY_FAILURE_WINDOW, TRACKED_KEYS)
        self._buckets = TokenBuckets(settings.key_rate_limit, settings.key_rate_window, clock=clock)
        self._clock = clock

    async def open(self, db: Database) -> None:
        """Loads the keys; makes the first admin key (or the one ``YTP_ADMIN_KEY`` sets)."""
        self._store = KeyStore(db)
        self._by_hash = {key.hash: key for key in await self._store.all()}
        if self._settings.admin_key:
            await self._set_admin_key(self._settings.admin_key)
        self._first_key_due = not self._by_hash

    async def announce_first_key(self) -> None:
        """Once the server listens: with no key at all, makes the admin key and logs it.

        Not at start-up: a start that fails later (a port in use) would store a key that
        nobody saw, and the operator gets one line for the failure, nothing else.
        """
        if not self._first_key_due or self._by_hash:
            return
        self._first_key_due = False
        raw = new_key()
        await self._add(FIRST_KEY_NAME, Role.ADMIN, (), raw)
        log.warning(
            "No API key existed: made the admin key %r: %s (shown only this once; keep it, "
            "or set YTP_ADMIN_KEY)",
            FIRST_KEY_NAME,
            raw,
        )

    @property
    def _keys(self) -> KeyStore:
        if self._store is None:
            raise RuntimeError("Access.open() has not run")
        return self._store

    # -- who is asking --------------------------------------------------------------------

    def authenticate_key(self, raw: str) -> Principal | None:
        """The principal a raw key stands for, or None (any door may call this)."""
        if not raw or len(raw) > MAX_KEY_LENGTH:
            return None
        key = self._by_hash.get(digest(raw))
        if key is None:
            return None
        return Principal(key.name, key.role, key.granted, key.id)

    def check(self, raw: str | None, address: str) -> Principal:
        """``authenticate_key`` for a request from ``address``: a missing or wrong key is
        401, and an address that keeps sending wrong keys is 429 for a while."""
        wait = self._failures.retry_after(address, self._clock())
        if wait is not None:
            raise TooManyRequests("Too many failed authentication attempts; try later.", wait)
        if not raw:
            raise Unauthorized("No API key provided.")
        principal = self.authenticate_key(raw)
        if principal is None:
            self._failures.failed(address, self._clock())
            log.warning("wrong API key from %s", address)
            raise Unauthorized("Invalid API key.")
        return principal

    def failed_elsewhere(self, address: str) -> float | None:
        """Seconds ``address`` must wait after failures on another door (Basic, Token)."""
        return self._failures.retry_after(address, self._clock())

    def record_failure(self, address: str) -> None:
        self._failures.failed(address, self._clock())

    def take_token(self, principal: Principal) -> None:
        """One task creation for a key: 429 with Retry-After once its bucket is empty.
        The Basic-auth user (no key) is not limited."""
        if principal.key_id is None:
            return
        wait = self._buckets.take(principal.key_id)
        if wait is not None:
            raise TooManyRequests("Rate limit exceeded; try again later.", wait)

    # -- the keys ---------------------------------------------------------------------------

    def all(self) -> list[ApiKey]:
        return sorted(self._by_hash.values(), key=lambda key: key.id)

    def by_name(self, name: str) -> ApiKey:
        for key in self._by_hash.values():
            if key.name == name:
                return key
        raise NotFound(f"API key '{name[:80]}' not found.")

    def by_id(self, key_id: int) -> ApiKey:
        for key in self._by_hash.values():
            if key.id == key_id:
                return key
        raise NotFound(f"API key {key_id} not found.")

    async def create(
        self, name: str, role: Role, permissions: Iterable[Permission], by: Principal
    ) -> tuple[ApiKey, str]:
        """A new key and its raw value (shown once). Nobody grants what they do not hold."""
        wanted = frozenset(permissions)
        if not permissions_of(role, wanted) <= by.permissions:
            raise Forbidden("A key cannot be given permissions its creator does not have.")
        raw = new_key()
        return await self._add(check_name(name), role, wanted, raw), raw

    async def revoke(self, key: ApiKey) -> None:
        if await self._keys.delete(key.id):
            self._by_hash.pop(key.hash, None)
            self._buckets.forget(key.id)

    async def _add(
        self, name: str, role: Role, permissions: Iterable[Permission], raw: str
    ) -> ApiKey:
        key = ApiKey(
            id=0,
            name=name,
            role=role,
            permissions=sorted(permissions) if role is Role.CUSTOM else [],
            prefix=raw[: len(KEY_PREFIX) + SHOWN_CHARACTERS],
            created_at=time.time(),
            hash=digest(raw),
        )
        key = await self._keys.add(key)
        self._by_hash[key.hash] = key
        return key

    async def _set_admin_key(self, raw: str) -> None:
        hashed = digest(raw)
        current = self._by_hash.get(hashed)
        if current is not None and current.role is Role.ADMIN:
            return
        if current is not None:
            await self.revoke(current)  # the operator's key is an admin key, whatever it was
        try:
            existing = self.by_name(FIRST_KEY_NAME)
        except NotFound:
            await self._add(FIRST_KEY_NAME, Role.ADMIN, (), raw)
            return
        await self.revoke(existing)
        await self._add(FIRST_KEY_NAME, Role.ADMIN, (), raw)
        log.info("The API key %r is now the one YTP_ADMIN_KEY sets", FIRST_KEY_NAME)
