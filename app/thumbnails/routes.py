"""``GET /api/thumbnail?url=``: a remote thumbnail through the server, cached."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field

from app import keys
from app.core.openapi import ApiRoute, Raw, declare
from app.core.web import add_routes

# Browsers keep a thumbnail a week; "private": it may sit behind the service's own login.
CACHE_CONTROL = "private, max-age=604800, immutable"


class ThumbnailQuery(BaseModel):
    url: str = Field(description="The remote image, http:// or https://")


async def thumbnail(request: web.Request) -> web.Response:
    found = await request.app[keys.THUMBNAILS].get(request.query.get("url"))
    return web.Response(
        body=found.image.body,
        content_type=found.image.content_type,
        headers={
            "Cache-Control": CACHE_CONTROL,
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "X-Thumbnail-Cache": "hit" if found.cached else "miss",
        },
    )


API = (
    ApiRoute(
        "GET",
        "/api/thumbnail",
        "A remote thumbnail through the server (400 bad url, 403 internal address, "
        "413 too large, 415 not an image, 502/504 upstream failed or timed out)",
        {200: Raw("image/*")},
        query=ThumbnailQuery,
        tags=("files",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(app.router, [("GET", "/api/thumbnail", thumbnail)])
    declare(app, API)
