"""The TubeArchivist layer: its route table, its OpenAPI declarations, its ``Layer``.

Every path answers with and without its trailing slash (never a redirect: the Jellyfin
plugin follows only an absolute 301, Plex calls ``/api/ping``).
"""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel

from app.compat.layer import Layer, detail_body
from app.compat.tubearchivist import admin, channels, media, queue, refresh, videos
from app.compat.tubearchivist.auth import PREFIX, token_auth
from app.core.openapi import ApiRoute, Raw, declare, serve
from app.core.web import Handler, add_routes
from app.settings import Settings


class DetailAnswer(BaseModel):
    """TubeArchivist's errors (403 bad token, 400, 404 of a route)."""

    detail: str


V = "/api/video/{video_id}/"
C = "/api/channel/{channel_id}/"
P = "/api/playlist/{playlist_id}/"
D = "/api/download/{video_id}/"
S = "/api/snapshot/{snapshot_id}/"

# (method, path, handler, summary), in matching order: fixed paths before {id} ones.
ROUTES: tuple[tuple[str, str, Handler, str], ...] = (
    ("GET", "/api/ping/", admin.ping, "Check the connection and the token"),
    ("POST", "/api/login/", admin.login, "A user's token from their username and password"),
    ("GET", "/api/video/", videos.video_list, "Videos, newest published first"),
    ("GET", V, videos.video_item, "One video"),
    ("GET", V + "progress/", videos.progress_get, "Where the user is in a video"),
    ("POST", V + "progress/", videos.progress_post, "Record where the user is"),
    ("DELETE", V + "progress/", videos.progress_delete, "Forget where the user is"),
    ("GET", V + "comment/", videos.comments, "A video's comments, threaded"),
    ("GET", V + "similar/", videos.similar, "Videos like this one (full-text relevance)"),
    ("GET", V + "sponsor/", videos.sponsor_get, "SponsorBlock segments (cached)"),
    ("POST", V + "sponsor/", videos.sponsor_post, "Vote or submit a segment (simulated)"),
    ("POST", "/api/watched/", videos.watched, "Mark a video watched or not"),
    ("GET", "/api/channel/", channels.channel_list, "Channels"),
    ("POST", "/api/channel/", channels.channel_subscribe, "Subscribe to or leave channels"),
    ("GET", "/api/channel/search/", channels.channel_search, "A channel by @handle, name or URL"),
    ("GET", C, channels.channel_item, "One channel"),
    ("GET", C + "video/", channels.channel_videos, "A channel's videos"),
    ("GET", "/api/playlist/", channels.playlist_list, "Playlists"),
    ("POST", "/api/playlist/", channels.playlist_subscribe, "Subscribe to or leave playlists"),
    ("GET", P, channels.playlist_item, "One playlist with its entries"),
    ("GET", P + "video/", channels.playlist_videos, "A playlist's videos"),
    ("GET", "/api/download/", queue.queue_list, "The download queue (pending or ignore)"),
    ("POST", "/api/download/", queue.queue_add, "Add videos (ids or URLs) to the queue"),
    ("DELETE", "/api/download/", queue.queue_delete, "Empty the pending or ignore list"),
    ("GET", D, queue.queue_item, "One queued or ignored video"),
    ("POST", D, queue.queue_item_set, "Ignore a queued video, or queue an ignored one"),
    ("DELETE", D, queue.queue_item_delete, "Forget a queued or ignored video"),
    ("GET", "/api/task/", admin.task_state, "Whether a rescan or a download is running"),
    ("POST", "/api/task/", admin.task_run, "Run download_pending or rescan_pending"),
    ("GET", "/api/refresh/", refresh.refresh_state, "What the refresh queue holds"),
    ("POST", "/api/refresh/", refresh.refresh_run, "Read videos, channels, playlists again"),
    ("GET", "/api/snapshot/", admin.snapshot_list, "Snapshots of the library"),
    ("POST", "/api/snapshot/", admin.snapshot_create, "Take a snapshot (in the background)"),
    ("GET", S, admin.snapshot_item, "One snapshot"),
    ("POST", S, admin.snapshot_restore, "Restore the library from a snapshot"),
    ("DELETE", S, admin.snapshot_delete, "Delete a snapshot"),
    ("GET", "/api/cookie/", admin.cookie_state, "The YouTube cookie's state"),
    ("POST", "/api/cookie/", admin.cookie_validate, "Validate the cookie"),
    ("PUT", "/api/cookie/", admin.cookie_import, "Import a cookie (Netscape format)"),
    ("GET", "/api/appsettings/cookie/", admin.cookie_state, "The cookie's state (0.4)"),
    ("POST", "/api/appsettings/cookie/", admin.cookie_validate, "Validate the cookie (0.4)"),
    ("PUT", "/api/appsettings/cookie/", admin.cookie_import, "Import a cookie (0.4)"),
    ("GET", "/api/search/", admin.search, "Search videos, channels and playlists"),
    ("GET", "/media/{path:.+}", media.media, "A media file (Range requests too)"),
    ("GET", "/cache/videos/{name}", media.video_thumb, "A video's thumbnail"),
    ("GET", "/cache/channels/{name}", media.channel_image, "A channel's image (none kept)"),
    ("GET", "/video/{video_id}/", media.video_page, "The video's page in the web UI"),
)

JSON = Raw("application/json")
API = tuple(
    ApiRoute(
        method,
        path,
        summary,
        {200: Raw("*/*") if path.startswith(("/media", "/cache")) else JSON},
        body=JSON if method in ("POST", "PUT") else None,
        body_required=False,
        errors=DetailAnswer,
        tags=("tubearchivist",),
    )
    for method, path, _, summary in ROUTES
)


def routes(app: web.Application) -> None:
    add_routes(app.router, [(method, path, handler) for method, path, handler, _ in ROUTES])
    declare(app, API)
    serve(app, "/api/openapi.json", title="Tubestash: TubeArchivist API", version="v0.4.0")


def port_of(settings: Settings) -> int | None:
    return settings.tubearchivist_port


LAYER = Layer(
    name="tubearchivist",
    routes=routes,
    error_body=detail_body,
    auth=token_auth,
    prefix=PREFIX,
    port=port_of,
)
