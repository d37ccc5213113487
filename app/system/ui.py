"""Serves the built web UI (``ui/dist``) at the root of the app."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

UI_DIST = Path(__file__).resolve().parents[2] / "ui" / "dist"


def setup(app: web.Application, dist: Path = UI_DIST) -> None:
    async def index(request: web.Request) -> web.StreamResponse:
        page = dist / "index.html"
        if not page.is_file():
            return web.Response(text="Tubestash: the web UI is not built (run `make run`).")
        return web.FileResponse(page, headers={"Cache-Control": "no-cache"})

    app.router.add_get("/", index)
    if (dist / "assets").is_dir():
        app.router.add_static("/assets", dist / "assets")


def setup_root_files(app: web.Application, dist: Path = UI_DIST) -> None:
    """Files Vite puts at the root of ``dist`` (favicon and the like)."""

    async def root_file(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = dist / name
        if name.startswith(".") or not path.is_file():
            raise web.HTTPNotFound()
        return web.FileResponse(path)

    app.router.add_get("/{name:[^/]+\\.[a-zA-Z0-9]+}", root_file)
