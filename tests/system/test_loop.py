"""The ops endpoints never block the event loop (``tests.blocking``'s guard)."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from aiohttp import web
from pytest_aiohttp import AiohttpServer

from app import keys
from tests.blocking import loop_guard
from tests.conftest import Client, EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import add_one, finished
from tests.system.sse import next_event, sse_events

log = logging.getLogger("app.tests.loop")
READS = [
    "/api/logs?offset=0",
    "/api/logs?offset=50&limit=150",
    "/api/random/background",
    "/api/docs/README.md",
    "/CHANGELOG.md",
    "/api/docs/nope.md",
    "/api/dev/loop",
    "/api/dev/pip",
    "/api/system/configuration",
]


async def exercise(client: Client) -> None:
    for path in READS:
        answer = await client.get(path, allow_redirects=False)
        assert answer.status < 500, f"{path}: {answer.status}"
        await answer.read()
    stream = await client.get("/api/logs/stream")
    events = sse_events(stream)
    log.warning("a line while the guard is on")
    await asyncio.wait_for(next_event(events, "log_lines"), 60)
    stream.close()
    answer = await client.post("/api/system/check-updates?force=true")
    assert (await answer.json())["status"] == "up_to_date"
    answer = await client.post("/api/system/terminal", json={"command": "--version"})
    await asyncio.wait_for(next_event(sse_events(answer), "close"), 120)


async def test_ops_endpoints_do_not_block_the_loop(
    tmp_path: Path,
    make_client: MakeClient,
    aiohttp_server: AiohttpServer,
    fixture_site: FixtureSite,
) -> None:
    async def project(request: web.Request) -> web.Response:
        return web.json_response({"info": {"version": "0.0.1"}})

    index = web.Application()
    index.router.add_get("/pypi/{name}/json", project)
    index_server = await aiohttp_server(index)
    settings = make_settings(
        tmp_path,
        dev_mode=True,
        console_enabled=True,
        update_index_url=str(index_server.make_url("/pypi")),
    )
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    url = fixture_site.url("/watch/v-basic")
    item = await add_one(client, url, cli="--write-thumbnail --convert-thumbnails jpg")
    await finished(events, item["_id"])
    await exercise(client)  # once-per-process costs (imports, caches) come first
    with loop_guard() as blocking_calls:
        await exercise(client)
    assert blocking_calls == []
    events.close()
