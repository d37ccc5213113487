"""Serves the built web UI (``ui/dist``) at the root of the app."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

UI_DIST = Path(__file__).resolve().parents[2] / "ui" / "dist"
# Root files whose type the platform's MIME table may not know, or may get wrong.
CONTENT_TYPES = {
    ".webmanifest": "application/manifest+json",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
}
# The service worker and the manifest are checked for updates on every visit (browsers cap
# a worker's cache at a day anyway); icons and the like may be kept a day.
REVALIDATE = frozenset({"sw.js", "manifest.webmanifest"})


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
    """Files Vite puts at the root of ``dist``: favicon, icons, manifest, service worker.

    The service worker is served from the root of the app so that its scope is the whole
    app, under ``YTP_BASE_PATH`` as well.
    """

    async def root_file(request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        path = dist / name
        if name.startswith(".") or not path.is_file():
            raise web.HTTPNotFound()
        headers = {"Cache-Control": "no-cache" if name in REVALIDATE else "max-age=86400"}
        content_type = CONTENT_TYPES.get(path.suffix.lower())
        if content_type:
            headers["Content-Type"] = content_type
        return web.FileResponse(path, headers=headers)

    app.router.add_get("/{name:[^/]+\\.[a-zA-Z0-9]+}", root_file)
