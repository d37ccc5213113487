"""Whose watch progress it is: every person at a door is a user of the library.

The Basic-auth user (everyone, when auth is off) is user 1, TubeArchivist's first user,
as its login has always answered. An API key is a user of its own, ``1 + its id``: key
ids are never reused (``AUTOINCREMENT``), so no key ever reads or changes another's
progress, nor inherits a revoked one's (which goes with its key: migration 0011).
"""

from __future__ import annotations

from app.access.permissions import Principal

ADMIN_USER = 1


def user_of(principal: Principal) -> int:
    """The library user a request's principal is (its watch progress is theirs)."""
    return ADMIN_USER if principal.key_id is None else ADMIN_USER + principal.key_id
