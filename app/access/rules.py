"""What each native route and each socket command needs, in one table.

Every route of the native app is listed here (``tests/access/test_route_table.py`` walks
the app's router and fails on a route that is missing), so a new route cannot forget its
permission; at run time a route that is not listed needs ``admin`` (fail closed).
Paths are aiohttp's canonical paths without a trailing slash.
"""

from __future__ import annotations

from collections.abc import Mapping

from app.access.permissions import Permission

READ, ADD, ADMIN = Permission.READ, Permission.ADD, Permission.ADMIN

Table = Mapping[tuple[str, str], Permission]


def _configuration(feature: str) -> Table:
    """A configuration feature on the CRUD kit: anyone who may read lists it; changes are
    admin."""
    path = f"/api/{feature}"
    return {
        ("GET", path): READ,
        ("GET", f"{path}/{{id}}"): READ,
        ("POST", path): ADMIN,
        ("PUT", f"{path}/{{id}}"): ADMIN,
        ("PATCH", f"{path}/{{id}}"): ADMIN,
        ("DELETE", f"{path}/{{id}}"): ADMIN,
    }


_ROUTES: Table = {
    # The UI's files and the API's document.
    ("GET", "/"): READ,
    ("GET", "/{name}"): READ,
    ("GET", "/assets"): READ,  # only when the UI is built
    ("GET", "/api/openapi.json"): READ,
    ("GET", "/api/ping"): READ,
    # System.
    ("GET", "/api/system/configuration"): READ,
    ("POST", "/api/system/pause"): ADMIN,
    ("POST", "/api/system/resume"): ADMIN,
    # Downloads: reading, adding, and controlling queued items.
    ("GET", "/api/history"): READ,
    ("GET", "/api/history/live"): READ,
    ("GET", "/api/history/{id}"): READ,
    ("GET", "/api/download/{filename}"): READ,
    ("POST", "/api/history"): ADD,
    ("GET", "/api/history/add"): ADD,
    ("POST", "/api/history/cancel"): ADD,
    ("POST", "/api/history/start"): ADD,
    ("POST", "/api/history/start_now"): ADD,
    ("POST", "/api/history/pause"): ADD,
    ("POST", "/api/history/move"): ADD,
    ("GET", "/api/yt-dlp/url/info"): ADD,
    # Changing what an item downloads, deleting, archives, NFO: admin.
    ("POST", "/api/history/{id}"): ADMIN,
    ("DELETE", "/api/history"): ADMIN,
    ("POST", "/api/history/{id}/archive"): ADMIN,
    ("DELETE", "/api/history/{id}/archive"): ADMIN,
    ("POST", "/api/history/{id}/nfo"): ADMIN,
    ("GET", "/api/archiver"): READ,
    ("POST", "/api/archiver"): ADMIN,
    ("DELETE", "/api/archiver"): ADMIN,
    # yt-dlp helpers: pure conversions are reads; the command line is admin.
    ("GET", "/api/yt-dlp/options"): READ,
    ("POST", "/api/yt-dlp/archive_id"): READ,
    ("POST", "/api/yt-dlp/convert"): READ,
    ("POST", "/api/yt-dlp/command"): ADMIN,
    # Live events: everyone who may read listens; commands are checked one by one.
    ("GET", "/ws"): READ,
    ("GET", "/socket.io"): READ,
    ("POST", "/socket.io"): READ,
    # Files: browsing, probing, playing and downloading them are reads; changing them is
    # admin (a downloader may fetch what it downloaded, not rename or delete anything).
    ("GET", "/api/file/browser"): READ,
    ("GET", "/api/file/browser/{path}"): READ,
    ("GET", "/api/file/ffprobe/{file}"): READ,
    ("GET", "/api/file/info/{file}"): READ,
    ("POST", "/api/file/download"): READ,
    ("GET", "/api/file/download/{token}"): READ,
    ("POST", "/api/file/actions"): ADMIN,
    ("GET", "/api/player/playlist/{file}.m3u8"): READ,
    ("GET", "/api/player/m3u8/{mode}/{file}.m3u8"): READ,
    ("GET", "/api/player/segments/{segment}/{file}.ts"): READ,
    ("GET", "/api/player/subtitle/{file}.vtt"): READ,
    ("GET", "/api/thumbnail"): READ,
    # The library: reading it and one's own watch progress; indexing is admin.
    ("GET", "/api/library/videos"): READ,
    ("GET", "/api/library/videos/{video_id}"): READ,
    ("GET", "/api/library/search"): READ,
    ("GET", "/api/library/channels"): READ,
    ("GET", "/api/library/channels/{channel_id}"): READ,
    ("GET", "/api/library/playlists"): READ,
    ("GET", "/api/library/playlists/{playlist_id}"): READ,
    ("GET", "/api/library/videos/{video_id}/progress"): READ,
    ("POST", "/api/library/videos/{video_id}/progress"): READ,
    ("DELETE", "/api/library/videos/{video_id}/progress"): READ,
    ("GET", "/api/library/index"): READ,
    ("POST", "/api/library/index"): ADMIN,
    # The service's own pages: documents and a background are reads; logs (they name
    # every URL added), the console, updates, shutdown and development tools are admin.
    ("GET", "/api/docs/{file}"): READ,
    **{
        ("GET", f"/{name}.md"): READ
        for name in ("README", "API", "FAQ", "ARCHITECTURE", "CHANGELOG")
    },
    ("GET", "/api/random/background"): READ,
    ("GET", "/api/logs"): ADMIN,
    ("GET", "/api/logs/stream"): ADMIN,
    ("POST", "/api/system/terminal"): ADMIN,
    ("POST", "/api/system/check-updates"): ADMIN,
    ("POST", "/api/system/shutdown"): ADMIN,
    ("GET", "/api/dev/loop"): ADMIN,
    ("GET", "/api/dev/pip"): ADMIN,
    # API keys.
    ("GET", "/api/keys"): ADMIN,
    ("POST", "/api/keys"): ADMIN,
    ("DELETE", "/api/keys/{id}"): ADMIN,
    # Notification targets hold URLs with secrets: admin even to read.
    ("GET", "/api/notifications"): ADMIN,
    ("GET", "/api/notifications/{id}"): ADMIN,
    ("GET", "/api/notifications/events"): READ,
}

_CHANGES: Table = {
    ("POST", "/api/notifications"): ADMIN,
    ("PUT", "/api/notifications/{id}"): ADMIN,
    ("PATCH", "/api/notifications/{id}"): ADMIN,
    ("DELETE", "/api/notifications/{id}"): ADMIN,
    ("POST", "/api/notifications/test"): ADMIN,
    ("POST", "/api/conditions/test"): ADMIN,
    ("POST", "/api/tasks/inspect"): ADMIN,
    ("POST", "/api/tasks/definitions/inspect"): ADMIN,
    ("POST", "/api/tasks/{id}/run"): ADMIN,
    ("POST", "/api/tasks/{id}/mark"): ADMIN,
    ("DELETE", "/api/tasks/{id}/mark"): ADMIN,
    ("POST", "/api/tasks/{id}/metadata"): ADMIN,
}
NATIVE: Table = {
    **_ROUTES,
    **_configuration("presets"),
    **_configuration("conditions"),
    **_configuration("dl_fields"),
    **_configuration("tasks"),
    **_configuration("tasks/definitions"),
    **_CHANGES,
}

# Routes that create downloads: each call by a key takes a token from its bucket.
TASK_CREATION = frozenset({("POST", "/api/history"), ("GET", "/api/history/add")})

# Commands sent over /ws and socket.io.
COMMANDS: Mapping[str, Permission] = {
    "add_url": ADD,
    "item_cancel": ADD,
    "item_start": ADD,
    "item_pause": ADD,
    "item_start_now": ADD,
    "item_move": ADD,
    "item_delete": ADMIN,
}


def route_key(method: str, canonical: str) -> tuple[str, str]:
    return ("GET" if method == "HEAD" else method, canonical.rstrip("/") or "/")


def needed(table: Table, method: str, canonical: str) -> Permission:
    """The permission a route needs; ``admin`` for one the table does not list."""
    return table.get(route_key(method, canonical), ADMIN)


def command_needs(name: str) -> Permission:
    return COMMANDS.get(name, ADMIN)
