"""The project's documents (``/api/docs/{file}`` and ``/README.md``-style paths) and the
UI's random background."""

from __future__ import annotations

import asyncio
from urllib.parse import quote

from aiohttp import web

from app import keys
from app.core.openapi import ApiRoute, Raw, declare
from app.core.web import add_routes
from app.system.backgrounds import Backgrounds, choose
from app.system.docs import CACHE_SECONDS, DOCS, doc_path

_DOC = {200: Raw("text/markdown")}


async def doc(request: web.Request) -> web.StreamResponse:
    name = request.match_info.get("file") or request.path.rsplit("/", 1)[-1]
    path, content_type = doc_path(name)
    if not await asyncio.to_thread(path.is_file):
        raise web.HTTPNotFound(text="Doc file not found.")
    return web.FileResponse(
        path,
        headers={
            "Content-Type": f"{content_type}; charset=utf-8",
            "Cache-Control": f"public, max-age={CACHE_SECONDS}",
        },
    )


async def background(request: web.Request) -> web.StreamResponse:
    settings = request.app[keys.SETTINGS]
    item = await Backgrounds(request.app[keys.DB], settings.download_path).pick()
    found = await asyncio.to_thread(choose, item, settings.download_path) if item else None
    if found is None:
        return web.Response(status=204)
    if found.file is not None:
        return web.FileResponse(found.file, headers={"Cache-Control": "no-store"})
    base = settings.base_path.rstrip("/")
    location = f"{base}/api/thumbnail?url={quote(found.url or '', safe='')}"
    raise web.HTTPFound(location, headers={"Cache-Control": "no-store"})


API = (
    ApiRoute(
        "GET",
        "/api/random/background",
        "A random thumbnail from the library (an image, a redirect to the thumbnail "
        "proxy, or 204 when there is none)",
        {200: Raw("image/*"), 204: None, 302: None},
        tags=("system",),
    ),
    ApiRoute("GET", "/api/docs/{file}", "One of the project's documents", _DOC, tags=("docs",)),
    *(ApiRoute("GET", f"/{name}", f"The project's {name}", _DOC, tags=("docs",)) for name in DOCS),
)


def setup(app: web.Application) -> None:
    routes = [("GET", "/api/random/background", background), ("GET", "/api/docs/{file}", doc)]
    add_routes(app.router, routes)
    for name in DOCS:
        app.router.add_get(f"/{name}", doc)
    declare(app, API)
