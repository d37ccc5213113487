"""System endpoints: ping, queue-wide pause/resume, and the UI's first-load configuration."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any

from aiohttp import web

from app import keys
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, declare, serve
from app.core.web import add_routes
from app.settings import Settings
from app.system.lifecycle import Lifecycle
from app.system.schemas import Configuration, Pong, UpdateCheck
from app.system.updates import UpdateChecker
from app.system.versions import app_version, ytdlp_version
from app.ytdlp.params import DEFAULT_TEMPLATE

FOLDER_DEPTH = 3
FOLDER_LIMIT = 500
# YTPTube's UI shows its task handlers' schedule; here each task runs on its own timer and
# the handlers with it, so this is only the value the UI expects to find.
TASKS_HANDLER_TIMER = "15 */1 * * *"


async def ping(request: web.Request) -> web.Response:
    return web.json_response({"status": "pong"})


async def pause(request: web.Request) -> web.Response:
    await request.app[keys.DOWNLOADS].pause_all()
    return web.json_response({"message": "Non-active downloads have been paused."})


async def resume(request: web.Request) -> web.Response:
    await request.app[keys.DOWNLOADS].resume_all()
    return web.json_response({"message": "Resumed all downloads."})


async def configuration(request: web.Request) -> web.Response:
    settings = request.app[keys.SETTINGS]
    downloads = request.app[keys.DOWNLOADS]
    folders = await asyncio.to_thread(list_folders, settings.download_path)
    live = downloads.live()
    return web.json_response(
        {
            "app": public_settings(
                settings, request.app[keys.LIFECYCLE], request.app[keys.UPDATES]
            ),
            "presets": [p.summary().model_dump() for p in request.app[keys.PRESETS].all()],
            "dl_fields": [f.summary().model_dump() for f in request.app[keys.DL_FIELDS].all()],
            "paused": downloads.paused,
            "folders": folders,
            "history_count": live["history_count"],
            "queue": live["queue"],
        }
    )


def public_settings(
    settings: Settings, lifecycle: Lifecycle, updates: UpdateChecker
) -> dict[str, Any]:
    """The settings clients may see: never credentials."""
    return {
        "download_path": str(settings.download_path),
        "base_path": settings.base_path,
        "default_pagination": settings.default_pagination,
        "max_workers": settings.max_workers,
        "max_workers_per_extractor": settings.max_workers_per_extractor,
        "default_preset": "default",
        "console_enabled": settings.console_enabled,
        "browser_enabled": settings.browser_enabled,
        "browser_control_enabled": settings.browser_control_enabled,
        "remove_files": settings.remove_files,
        "max_playlist_items": settings.max_playlist_items,
        "auth_enabled": settings.auth_enabled,
        "app_version": app_version(),
        "version": app_version(),
        "ytdlp_version": ytdlp_version(),
        "started": lifecycle.started,
        "is_native": lifecycle.native,
        "file_logging": settings.file_logging,
        "check_for_updates": settings.check_for_updates,
        "new_version": updates.new_version,
        "output_template": DEFAULT_TEMPLATE,
        "instance_title": settings.instance_title or None,
        "ui_update_title": settings.ui_update_title,
        "simple_mode": settings.simple_mode,
        "keep_archive": True,  # presets keep download archives; the archive actions work
        "tasks_handler_timer": TASKS_HANDLER_TIMER,
        "dev_mode": settings.dev_mode,
    }


def list_folders(root: Path) -> list[dict[str, str]]:
    """Folders under the download path, a few levels deep, for the add form's suggestions."""
    found: list[dict[str, str]] = []
    for current, dirs, _files in os.walk(root):
        rel = Path(current).relative_to(root)
        depth = len(rel.parts)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")) if depth < FOLDER_DEPTH else []
        if depth:
            found.append({"name": rel.name, "path": rel.as_posix()})
        if len(found) >= FOLDER_LIMIT:
            break
    return found


async def shutdown(request: web.Request) -> web.Response:
    lifecycle = request.app[keys.LIFECYCLE]
    if not lifecycle.native:
        raise InvalidInput("Shutdown is only available in native mode.")
    # The runner (app.run) stops serving once this answer is sent, and closes everything.
    lifecycle.request_stop()
    return web.json_response({"message": "The application shutting down."})


async def check_updates(request: web.Request) -> web.Response:
    force = request.query.get("force", "").lower() in ("1", "true", "yes")
    return web.json_response(await request.app[keys.UPDATES].check(force=force))


API = (
    ApiRoute("GET", "/api/ping", "Is the server up?", {200: Pong}, tags=("system",)),
    ApiRoute(
        "POST",
        "/api/system/pause",
        "Stop starting queued downloads (406 when already paused)",
        tags=("system",),
    ),
    ApiRoute(
        "POST",
        "/api/system/resume",
        "Start queued downloads again (406 when not paused)",
        tags=("system",),
    ),
    ApiRoute(
        "GET",
        "/api/system/configuration",
        "Everything the UI needs at start",
        {200: Configuration},
        tags=("system",),
    ),
    ApiRoute(
        "POST",
        "/api/system/shutdown",
        "Stop the server cleanly (native mode only; 400 otherwise)",
        tags=("system",),
    ),
    ApiRoute(
        "POST",
        "/api/system/check-updates",
        "Compare the installed Tubestash and yt-dlp with the package index",
        {200: UpdateCheck},
        tags=("system",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/ping", ping),
            ("POST", "/api/system/pause", pause),
            ("POST", "/api/system/resume", resume),
            ("GET", "/api/system/configuration", configuration),
            ("POST", "/api/system/shutdown", shutdown),
            ("POST", "/api/system/check-updates", check_updates),
        ],
    )
    declare(app, API)
    serve(app, "/api/openapi.json", title="Tubestash", version=app_version())
