"""Permission names, roles, and the principal a request acts as.

A role is a named permission set: ``admin`` holds every permission (and ``admin``, which
only it has: settings, presets, tasks, commands, file actions), ``downloader`` may read,
add and control downloads and use yt-dlp-host's download calls. A ``custom`` key holds the
permissions it was given; yt-dlp-host's permission names are permissions here.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Permission(StrEnum):
    ADMIN = "admin"  # everything that is not listed below
    READ = "read"  # lists, items, configuration, finished files
    ADD = "add"  # add downloads; start, pause, cancel, move queued items
    # yt-dlp-host's own names.
    GET_VIDEO = "get_video"
    GET_AUDIO = "get_audio"
    GET_LIVE_VIDEO = "get_live_video"
    GET_LIVE_AUDIO = "get_live_audio"
    GET_INFO = "get_info"
    CREATE_KEY = "create_key"
    DELETE_KEY = "delete_key"
    GET_KEY = "get_key"
    GET_KEYS = "get_keys"


class Role(StrEnum):
    ADMIN = "admin"
    DOWNLOADER = "downloader"
    CUSTOM = "custom"


ALL = frozenset(Permission)
YTDLP_HOST = (
    Permission.CREATE_KEY,
    Permission.DELETE_KEY,
    Permission.GET_KEY,
    Permission.GET_KEYS,
    Permission.GET_VIDEO,
    Permission.GET_AUDIO,
    Permission.GET_LIVE_VIDEO,
    Permission.GET_LIVE_AUDIO,
    Permission.GET_INFO,
)
DOWNLOADER = frozenset(
    {
        Permission.READ,
        Permission.ADD,
        Permission.GET_VIDEO,
        Permission.GET_AUDIO,
        Permission.GET_LIVE_VIDEO,
        Permission.GET_LIVE_AUDIO,
        Permission.GET_INFO,
    }
)


def permissions_of(role: Role, custom: frozenset[Permission]) -> frozenset[Permission]:
    if role is Role.ADMIN:
        return ALL
    if role is Role.DOWNLOADER:
        return DOWNLOADER
    return custom - {Permission.ADMIN}  # only the admin role is an admin


def role_for(permissions: frozenset[Permission]) -> Role:
    """The role a set names: yt-dlp-host's create_key gives sets, not roles."""
    if Permission.ADMIN in permissions or permissions >= ALL - {Permission.ADMIN}:
        return Role.ADMIN
    return Role.DOWNLOADER if permissions == DOWNLOADER else Role.CUSTOM


@dataclass(frozen=True, slots=True)
class Principal:
    """Who a request acts as: the Basic-auth user (or open access), or one API key."""

    name: str
    role: Role
    permissions: frozenset[Permission]
    key_id: int | None = None  # None: not a key (the Basic-auth user, or no auth at all)

    def allows(self, permission: Permission) -> bool:
        return permission in self.permissions

    @property
    def is_admin(self) -> bool:
        return Permission.ADMIN in self.permissions


# The Basic-auth user, and everyone when no credential is configured nor presented.
OPERATOR = Principal("operator", Role.ADMIN, ALL)
