"""The loop never blocks: representative API calls run with the blocking-call guard on.

A blocking call in a handler, a middleware or a task it starts fails the test (see
``tests.blocking``); the last test shows the guard failing on a handler that blocks.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from aiohttp import web
from pytest_aiohttp import AiohttpClient

from app.server import create_app
from app.settings import Settings
from tests.blocking import loop_guard
from tests.conftest import Client, EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import add_one, call, finished

# What the browser client asks at start and on its list pages (COMPAT.md), and more.
READS = [
    "/api/ping",
    "/api/system/configuration",
    "/api/history?type=done&page=1&per_page=50&order=DESC",
    "/api/history/live",
    "/api/yt-dlp/options",
    "/api/presets/?page=1&per_page=1000",
    "/api/presets?filter=name",
    "/api/conditions/?page=1",
    "/api/dl_fields/?page=1",
    "/api/archiver",
    "/api/no-such-route",
]


async def read_all(client: Client) -> None:
    for path in READS:
        answer = await client.get(path)
        assert answer.status < 500, f"{path}: {answer.status}"


async def download(client: Client, events: EventLog, url: str) -> None:
    item = await add_one(client, url)
    done = await finished(events, item["_id"])
    assert done["status"] == "finished"
    page = await call(client, "GET", "/api/history?type=done")
    assert item["_id"] in [entry["_id"] for entry in page["items"]]
    await call(client, "DELETE", "/api/history", json={"type": "done", "ids": [item["_id"]]})


async def test_reads_do_not_block_the_loop(client: Client) -> None:
    await read_all(client)  # once-per-process costs (imports, caches) come first
    with loop_guard() as blocking_calls:
        await read_all(client)
    assert blocking_calls == []


async def test_a_download_does_not_block_the_loop(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await download(client, events, fixture_site.url("/watch/v-basic"))
    with loop_guard() as blocking_calls:
        await download(client, events, fixture_site.url("/watch/v-second"))
    assert blocking_calls == []


async def sleeps(request: web.Request) -> web.Response:
    time.sleep(0.001)  # the mistake the guard is for
    return web.json_response({})


async def reads_a_file(request: web.Request) -> web.Response:
    return web.json_response({"text": Path(__file__).read_text()[:10]})


async def yields(request: web.Request) -> web.Response:
    await asyncio.sleep(0)
    return web.json_response({})


async def test_the_guard_fails_on_a_handler_that_blocks(
    aiohttp_client: AiohttpClient, settings: Settings
) -> None:
    app = create_app(settings)
    app.router.add_get("/test/yield", yields)
    app.router.add_get("/test/sleep", sleeps)
    app.router.add_get("/test/read", reads_a_file)
    client = await aiohttp_client(app)
    with loop_guard() as found:
        assert (await client.get("/test/yield")).status == 200
        assert found == []
        assert (await client.get("/test/sleep")).status == 500
        assert (await client.get("/test/read")).status == 500
    assert len(found) == 2, found
    assert found[0].startswith("Blocking call to time.sleep")
    assert found[1].startswith("Blocking call to io.")  # the file's read
