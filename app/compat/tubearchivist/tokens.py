"""TubeArchivist's ``Authorization: Token <key>``: a token per user.

The user is the native one (the Basic-auth user; anyone when auth is off), an admin, and
its token is derived from a key kept in the config folder and the credentials, so
changing the password changes the token. API keys are accepted as tokens too, with their
roles (``auth.py``).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from app.core.auth import Credentials
from app.library.users import ADMIN_USER
from app.settings import Settings

USER_ID = ADMIN_USER  # the Basic-auth user; API keys are users of their own
KEY_FILE = "tubearchivist.key"


@dataclass(frozen=True, slots=True)
class Tokens:
    key: bytes
    credentials: Credentials | None  # None: auth is off, any login is the one user

    @classmethod
    def of(cls, settings: Settings, key: bytes) -> Tokens:
        credentials = None
        if settings.auth_enabled:
            credentials = Credentials(settings.auth_username, settings.auth_password)
        return cls(key, credentials)

    def token(self, user_id: int = USER_ID) -> str:
        fingerprint = self.credentials.fingerprint() if self.credentials else b""
        message = f"tubearchivist-token:{user_id}:".encode() + fingerprint
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:40]

    def login(self, username: str, password: str) -> int | None:
        """The user id these credentials belong to, or None."""
        if self.credentials is None or self.credentials.match(username, password):
            return USER_ID
        return None

    def user_for(self, presented: str) -> int | None:
        """The user a token belongs to, or None (compared in constant time)."""
        if hmac.compare_digest(presented.encode(), self.token(USER_ID).encode()):
            return USER_ID
        return None
