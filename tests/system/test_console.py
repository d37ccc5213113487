"""POST /api/system/terminal: yt-dlp in a worker, its output as server-sent events."""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import ClientConnectionError, web
from pytest_aiohttp import AiohttpServer

from app import keys
from app.settings import Settings
from tests.conftest import Client, MakeClient
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import call
from tests.system.sse import sse_events

TIMEOUT = 120.0


@pytest.fixture
def console(settings: Settings) -> Settings:
    return settings.model_copy(update={"console_enabled": True})


@pytest.fixture
async def console_client(console: Settings, make_client: MakeClient) -> Client:
    return await make_client(console)


async def run(client: Client, command: str) -> list[tuple[str, Any]]:
    """Every event of one command, up to its ``close``."""
    response = await client.post("/api/system/terminal", json={"command": command})
    assert response.status == 200, await response.text()
    assert response.headers["Content-Type"] == "text/event-stream"
    events = []
    async for name, data in sse_events(response):
        events.append((name, data))
        if name == "close":
            break
    return events


def lines(events: list[tuple[str, Any]]) -> list[str]:
    return [data["line"] for name, data in events if name == "output"]


async def test_refused_when_the_console_is_disabled(client: Client) -> None:
    answer = await call(
        client, "POST", "/api/system/terminal", json={"command": "--version"}, status=403
    )
    assert answer == {"error": "The console is disabled."}


async def test_version_streams_its_output_then_the_exit_code(console_client: Client) -> None:
    events = await asyncio.wait_for(run(console_client, "--version"), TIMEOUT)
    assert events[-1] == ("close", {"exitcode": 0})
    [version] = lines(events)
    config = await call(console_client, "GET", "/api/system/configuration")
    assert version == config["app"]["ytdlp_version"]
    assert {data["type"] for name, data in events if name == "output"} == {"stdout"}


async def test_errors_arrive_on_stderr_with_the_exit_code(console_client: Client) -> None:
    command = "--no-warnings --retries 0 http://127.0.0.1:9/nothing-listens-here"
    events = await asyncio.wait_for(run(console_client, command), TIMEOUT)
    assert events[-1] == ("close", {"exitcode": 1})
    errors = [data["line"] for name, data in events if data.get("type") == "stderr"]
    assert any(line.startswith("ERROR:") for line in errors), lines(events)


async def test_a_download_lands_in_the_download_folder(
    console_client: Client, console: Settings, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/v-basic")
    command = f"-o 'console/%(id)s.%(ext)s' {url}"
    events = await asyncio.wait_for(run(console_client, command), TIMEOUT)
    assert events[-1] == ("close", {"exitcode": 0}), lines(events)
    assert any(line.startswith("[download]") for line in lines(events))
    files = list((console.resolved().download_path / "console").iterdir())
    assert [f.suffix for f in files] == [".mp4"]


@pytest.mark.parametrize(
    "command",
    [
        "--exec 'touch /tmp/owned'",
        "--exec-before-download id",
        "-a /etc/passwd",
        "--batch-file=/etc/passwd",
        "--config-locations /etc/passwd",
        "--update",
        "-U",
        "-o /tmp/%(id)s.%(ext)s",
        "-P /tmp",
        "--paths ../outside",
        "-o '~/x.%(ext)s'",
        "--cookies /etc/passwd",
        "--plugin-dirs /tmp",
        "--load-info-json /etc/passwd",
        "--parse-metadata 'title:%(filepath)s'",
        "--exe 'touch x'",  # an abbreviation of --exec
        "'unclosed",
        "--no-such-option",
    ],
)
async def test_the_option_policy_applies(console_client: Client, command: str) -> None:
    answer = await call(
        console_client, "POST", "/api/system/terminal", json={"command": command}, status=400
    )
    assert answer["error"]
    assert console_client.app[keys.CONSOLE].running == 0


@pytest.mark.parametrize("body", [{}, {"command": 5}, [], {"command": "x" * 20000}])
async def test_a_bad_body_is_a_400(console_client: Client, body: Any) -> None:
    await call(console_client, "POST", "/api/system/terminal", json=body, status=400)


class Hanging:
    """A site whose page never answers: a command fetching it runs until it is stopped."""

    def __init__(self) -> None:
        self.entered = asyncio.Event()

    async def page(self, request: web.Request) -> web.Response:
        self.entered.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


@pytest.fixture
async def hanging(aiohttp_server: AiohttpServer) -> AsyncIterator[tuple[Hanging, str]]:
    site = Hanging()
    app = web.Application()
    app.router.add_get("/hang", site.page)
    server = await aiohttp_server(app, shutdown_timeout=0)
    yield site, str(server.make_url("/hang"))


async def exited(pid: int) -> None:
    """Waits (without polling) for a process that is not our child to end."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    gone = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_reader(fd, gone.set)
    try:
        await gone.wait()
    finally:
        loop.remove_reader(fd)
        os.close(fd)


async def test_the_command_dies_when_the_client_goes(
    console_client: Client, hanging: tuple[Hanging, str]
) -> None:
    site, url = hanging
    pool = console_client.app[keys.POOL]
    response = await console_client.post("/api/system/terminal", json={"command": url})
    assert response.status == 200
    await asyncio.wait_for(site.entered.wait(), TIMEOUT)  # yt-dlp is waiting for the page
    [pid] = pool.pids()
    response.close()
    await asyncio.wait_for(exited(pid), TIMEOUT)  # the pidfd says: it has ended
    assert console_client.app[keys.CONSOLE].running == 0


async def test_shutdown_stops_a_running_command(
    console: Settings, make_client: MakeClient, hanging: tuple[Hanging, str]
) -> None:
    client = await make_client(console)
    site, url = hanging
    response = await client.post("/api/system/terminal", json={"command": url})
    await asyncio.wait_for(site.entered.wait(), TIMEOUT)
    [pid] = client.app[keys.POOL].pids()
    events = sse_events(response)
    closing = asyncio.ensure_future(client.close())
    with contextlib.suppress(ClientConnectionError):
        async for _name, _data in events:
            pass  # the stream ends when the server stops
    await asyncio.wait_for(closing, TIMEOUT)
    await asyncio.wait_for(exited(pid), TIMEOUT)
