"""A local image server for the thumbnail proxy: real HTTP on loopback, in the test's loop."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from aiohttp import web

from tests.fixtures.media import MediaLibrary

SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><title>not an image</title>"


@dataclass
class ImageServer:
    base_url: str
    jpeg: bytes
    hits: Counter[str] = field(default_factory=Counter)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"


def image_app(server: ImageServer, never: asyncio.Event) -> web.Application:
    async def count(request: web.Request) -> None:
        server.hits[request.path] += 1

    async def jpeg(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=server.jpeg, content_type="image/jpeg")

    async def untyped(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=server.jpeg, content_type="application/octet-stream")

    async def html(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=HTML, content_type="text/html")

    async def lying(request: web.Request) -> web.Response:
        """Says JPEG, sends HTML: the first bytes decide."""
        await count(request)
        return web.Response(body=HTML, content_type="image/jpeg")

    async def svg(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=SVG, content_type="image/svg+xml")

    async def big(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(body=server.jpeg + bytes(64 * 1024), content_type="image/jpeg")

    async def big_unsized(request: web.Request) -> web.StreamResponse:
        """No Content-Length: the cap holds while reading."""
        await count(request)
        response = web.StreamResponse(headers={"Content-Type": "image/jpeg"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        await response.write(server.jpeg)
        for _ in range(16):
            await response.write(bytes(8 * 1024))
        await response.write_eof()
        return response

    async def hang(request: web.Request) -> web.Response:
        await count(request)
        await never.wait()  # set when the server stops
        return web.Response(status=503)

    async def missing(request: web.Request) -> web.Response:
        await count(request)
        return web.Response(status=404, text="no such image")

    async def redirect(request: web.Request) -> web.Response:
        await count(request)
        raise web.HTTPFound(request.query["to"])

    app = web.Application()
    for path, handler in {
        "/img.jpg": jpeg,
        "/untyped": untyped,
        "/page.html": html,
        "/lying.jpg": lying,
        "/img.svg": svg,
        "/big.jpg": big,
        "/big-unsized.jpg": big_unsized,
        "/slow.jpg": hang,
        "/missing.jpg": missing,
        "/redirect": redirect,
    }.items():
        app.router.add_get(path, handler)
    return app


async def serve_images(host: str, jpeg: bytes) -> AsyncIterator[ImageServer]:
    never = asyncio.Event()
    server = ImageServer("", jpeg)
    runner = web.AppRunner(image_app(server, never), shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, host, 0)
    await site.start()
    server.base_url = f"http://{host}:{runner.addresses[0][1]}"
    yield server
    never.set()
    await runner.cleanup()


@pytest.fixture
async def images(media_library: MediaLibrary) -> AsyncIterator[ImageServer]:
    jpeg = await asyncio.to_thread(media_library.path("thumb.jpg").read_bytes)
    async for server in serve_images("127.0.0.1", jpeg):
        yield server


@pytest.fixture
async def other_images(media_library: MediaLibrary) -> AsyncIterator[ImageServer]:
    """The same server on 127.0.0.2: a test lists that one network as allowed."""
    jpeg = await asyncio.to_thread(media_library.path("thumb.jpg").read_bytes)
    async for server in serve_images("127.0.0.2", jpeg):
        yield server
