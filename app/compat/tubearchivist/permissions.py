"""What each TubeArchivist route needs from an API key presented as ``Token``.

Paths are the layer's own (under ``/ta`` or on its port), without the trailing slash.
A downloader reads the library, its media and the queue, adds to the queue and keeps its
watch progress; the cookie (a secret, even to read), snapshots, tasks, the refresh,
subscriptions and deleting from the queue are admin. A route not listed needs ``admin``
(``tests/access/test_route_table.py`` walks the layer's router against this table).
"""

from __future__ import annotations

from app.access.permissions import Permission
from app.access.rules import Table

READ, ADD, ADMIN = Permission.READ, Permission.ADD, Permission.ADMIN

V = "/api/video/{video_id}"
C = "/api/channel/{channel_id}"
P = "/api/playlist/{playlist_id}"
D = "/api/download/{video_id}"
S = "/api/snapshot/{snapshot_id}"

PERMISSIONS: Table = {
    ("GET", "/api/ping"): READ,
    ("GET", "/api/openapi.json"): READ,
    ("POST", "/api/login"): READ,  # public: it checks the Basic-auth credentials itself
    ("GET", "/video/{video_id}"): READ,  # public: the page the extension opens
    # The library.
    ("GET", "/api/video"): READ,
    ("GET", V): READ,
    ("GET", V + "/comment"): READ,
    ("GET", V + "/similar"): READ,
    ("GET", V + "/sponsor"): READ,
    ("POST", V + "/sponsor"): ADD,  # simulated: nothing leaves the server
    ("GET", "/api/channel"): READ,
    ("GET", "/api/channel/search"): READ,
    ("GET", C): READ,
    ("GET", C + "/video"): READ,
    ("GET", "/api/playlist"): READ,
    ("GET", P): READ,
    ("GET", P + "/video"): READ,
    ("GET", "/api/search"): READ,
    ("GET", "/media/{path}"): READ,
    ("GET", "/cache/videos/{name}"): READ,
    ("GET", "/cache/channels/{name}"): READ,
    # One's own watch progress (as the native library's).
    ("GET", V + "/progress"): READ,
    ("POST", V + "/progress"): READ,
    ("DELETE", V + "/progress"): READ,
    ("POST", "/api/watched"): READ,
    # The download queue: reading and adding; ignoring a queued video or queueing an
    # ignored one controls the queue; deleting from it is admin.
    ("GET", "/api/download"): READ,
    ("GET", D): READ,
    ("POST", "/api/download"): ADD,
    ("POST", D): ADD,
    ("DELETE", "/api/download"): ADMIN,
    ("DELETE", D): ADMIN,
    # Subscriptions, tasks, the refresh, snapshots and the cookie.
    ("POST", "/api/channel"): ADMIN,
    ("POST", "/api/playlist"): ADMIN,
    ("GET", "/api/task"): ADMIN,
    ("POST", "/api/task"): ADMIN,
    ("GET", "/api/refresh"): ADMIN,
    ("POST", "/api/refresh"): ADMIN,
    ("GET", "/api/snapshot"): ADMIN,
    ("POST", "/api/snapshot"): ADMIN,
    ("GET", S): ADMIN,
    ("POST", S): ADMIN,
    ("DELETE", S): ADMIN,
    ("GET", "/api/cookie"): ADMIN,
    ("POST", "/api/cookie"): ADMIN,
    ("PUT", "/api/cookie"): ADMIN,
    ("GET", "/api/appsettings/cookie"): ADMIN,
    ("POST", "/api/appsettings/cookie"): ADMIN,
    ("PUT", "/api/appsettings/cookie"): ADMIN,
}

# Adding to the queue (or queueing an ignored video) creates downloads: each call by a
# key takes a token from its bucket.
RATED = frozenset({("POST", "/api/download"), ("POST", D)})
