"""Ping, login, task, snapshots, cookie and search views."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.compat.tubearchivist.answers import video_docs
from app.compat.tubearchivist.auth import public, user_of
from app.compat.tubearchivist.channels import TASK_PREFIX, match_subscriptions
from app.compat.tubearchivist.context import Context, context
from app.compat.tubearchivist.docs import channel_doc, playlist_doc
from app.core.errors import InvalidInput
from app.core.web import read_object
from app.downloads.models import ACTIVE

VERSION = "v0.4.0"  # dates are ISO from this version on: clients parse them so
SEARCH_RESULTS = 25
RESCAN = "tubearchivist-rescan"


async def ping(request: web.Request) -> web.Response:
    return web.json_response({"response": "pong", "user": user_of(request), "version": VERSION})


@public
async def login(request: web.Request) -> web.Response:
    body = await read_object(request)
    username, password = body.get("username"), body.get("password")
    if not isinstance(username, str) or not isinstance(password, str):
        raise InvalidInput("username and password are required.")
    tokens = context(request).tokens
    user = tokens.login(username[:4096], password[:4096])
    if user is None:
        return web.json_response(
            {"non_field_errors": ["Unable to log in with provided credentials."]}, status=400
        )
    return web.json_response({"token": tokens.token(user), "user_id": user})


async def task_state(request: web.Request) -> web.Response:
    ctx = context(request)
    rescan = RESCAN in ctx.jobs.running or any(
        t.run.running for t in ctx.tasks.all() if t.name.startswith(TASK_PREFIX)
    )
    downloading = any(i.status in ACTIVE for i in ctx.downloads.queued())
    return web.json_response({"rescan": rescan, "downloading": downloading})


async def task_run(request: web.Request) -> web.Response:
    """``{"run": "download_pending"}`` starts the waiting queue; ``"rescan_pending"`` runs
    every subscription now (in the background)."""
    ctx = context(request)
    name = (await read_object(request)).get("run")
    if name == "download_pending":
        waiting = [i.uid for i in ctx.downloads.queued() if not i.auto_start]
        await ctx.downloads.start(waiting)
        return web.json_response({"success": True, "run": name, "started": len(waiting)})
    if name == "rescan_pending":
        if RESCAN not in ctx.jobs.running:
            ctx.jobs.spawn(_rescan(ctx), RESCAN)
        return web.json_response({"success": True, "run": name})
    raise InvalidInput("run must be download_pending or rescan_pending.")


async def _rescan(ctx: Context) -> None:
    for task in ctx.tasks.all():
        if task.name.startswith(TASK_PREFIX) and task.enabled:
            await ctx.task_tools.run_now(task)


async def snapshot_list(request: web.Request) -> web.Response:
    snapshots = await context(request).snapshots.all()
    return web.json_response(
        {"next_exec": None, "next_exec_str": None, "expire_after": "30d", "snapshots": snapshots}
    )


async def snapshot_create(request: web.Request) -> web.Response:
    return web.json_response({"snapshot_name": await context(request).snapshots.create()})


async def snapshot_item(request: web.Request) -> web.Response:
    return web.json_response(
        await context(request).snapshots.get(request.match_info["snapshot_id"])
    )


async def snapshot_restore(request: web.Request) -> web.Response:
    """The library as it was, then what happened since on the other side: subscriptions
    follow the tasks that exist now, and downloads finished since are indexed again (in
    the background; ``GET /api/library/index`` shows it)."""
    ctx = context(request)
    name = request.match_info["snapshot_id"]
    await ctx.snapshots.restore(name)
    await match_subscriptions(ctx)
    ctx.indexer.start(only_missing=True)
    return web.json_response({"success": True, "restored": name})


async def snapshot_delete(request: web.Request) -> web.Response:
    name = request.match_info["snapshot_id"]
    await context(request).snapshots.delete(name)
    return web.json_response({"success": True, "deleted": name})


async def cookie_state(request: web.Request) -> web.Response:
    return web.json_response(context(request).cookie.state())


async def cookie_validate(request: web.Request) -> web.Response:
    return web.json_response({"cookie_validated": context(request).cookie.validate()})


async def cookie_import(request: web.Request) -> web.Response:
    text = (await read_object(request)).get("cookie")
    imported = isinstance(text, str) and await context(request).cookie.replace(text)
    status = 200 if imported else 400
    answer = {"cookie_import": "done" if imported else "fail", "cookie_validated": imported}
    return web.json_response(answer, status=status)


async def search(request: web.Request) -> web.Response:
    text = request.query.get("query", "").strip()
    if not text or len(text) > 500:
        raise InvalidInput("query (1 to 500 characters) is required.")
    ctx = context(request)
    _, hits = await ctx.library.search(text, 0, SEARCH_RESULTS)
    videos = await video_docs(ctx, user_of(request), [hit.video for hit in hits])
    channels = await ctx.library.find_channels(text, SEARCH_RESULTS)
    playlists = await ctx.library.find_playlists(text, SEARCH_RESULTS)
    results: dict[str, Any] = {
        "video_results": videos,
        "channel_results": [channel_doc(c) for c in channels],
        "playlist_results": [playlist_doc(p, []) for p in playlists],
        "fulltext_results": [],
    }
    return web.json_response({"results": results, "queryType": "simple"})
