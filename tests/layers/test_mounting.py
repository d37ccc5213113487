"""Several APIs in one process: a test-only layer beside the native API, over real HTTP.

The probe layer (``probe``) is mounted under ``/probe`` on the main port and at the
root of a port of its own; both mountings read the services the native app built.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pytest_aiohttp import AiohttpClient

from app.server import create_app
from app.settings import Settings
from tests.layers.probe import PREFIX, TOKEN, probe_layer
from tests.server_process import free_port

Client = TestClient[Any, Any]
TOKEN_HEADER = {"Authorization": f"Token {TOKEN}"}
FOREIGN_PAGE = {"Origin": "http://attacker.example", "Sec-Fetch-Site": "cross-site"}


class Mounted:
    """The main port (the test client) and the probe layer's own port."""

    def __init__(self, client: Client, port: int) -> None:
        self.client = client
        self.port = port
        self.session = aiohttp.ClientSession(f"http://127.0.0.1:{port}")

    async def on_port(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.session.request(method, path, **kwargs) as answer:
            return answer.status, await answer.json()

    async def on_prefix(self, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        async with self.client.request(method, PREFIX + path, **kwargs) as answer:
            return answer.status, await answer.json()

    async def both(self, method: str, path: str, **kwargs: Any) -> list[tuple[int, Any]]:
        return [
            await self.on_prefix(method, path, **kwargs),
            await self.on_port(method, path, **kwargs),
        ]


async def mount_probe(aiohttp_client: AiohttpClient, settings: Settings) -> Mounted:
    port = free_port()
    client = await aiohttp_client(create_app(settings, layers=[probe_layer(port)]))
    return Mounted(client, port)


@pytest.fixture
async def mounted(aiohttp_client: AiohttpClient, settings: Settings) -> AsyncIterator[Mounted]:
    mounted = await mount_probe(aiohttp_client, settings)
    yield mounted
    await mounted.session.close()


async def test_both_mountings_read_the_services_the_native_app_built(mounted: Mounted) -> None:
    answer = await mounted.client.post("/api/presets", json={"name": "made-natively"})
    assert answer.status in (200, 201), await answer.text()

    for status, body in await mounted.both("GET", "/presets", headers=TOKEN_HEADER):
        assert status == 200
        assert "made-natively" in body["names"]
    for status, body in await mounted.both("GET", "/presets/made-natively", headers=TOKEN_HEADER):
        assert (status, body) == (200, {"name": "made-natively"})


@pytest.mark.parametrize(
    ("headers", "detail"),
    [
        ({}, "Authentication credentials were not provided."),
        ({"Authorization": "Token wrong"}, "Invalid token."),
    ],
)
async def test_the_layer_checks_its_own_credentials(
    mounted: Mounted, headers: dict[str, str], detail: str
) -> None:
    for answer in await mounted.both("GET", "/presets", headers=headers):
        assert answer == (403, {"detail": detail})


async def test_errors_in_the_layer_answer_its_own_body(mounted: Mounted) -> None:
    for answer in await mounted.both("GET", "/presets/nope", headers=TOKEN_HEADER):
        assert answer == (404, {"detail": "No preset named 'nope'."})
    for status, body in await mounted.both("GET", "/no-such-route", headers=TOKEN_HEADER):
        assert (status, list(body)) == (404, ["detail"])
    for answer in await mounted.both("POST", "/echo", headers=TOKEN_HEADER, data=b"{"):
        assert answer[0] == 400 and list(answer[1]) == ["detail"]
    for answer in await mounted.both("GET", "/boom", headers=TOKEN_HEADER):
        assert answer == (500, {"detail": "Internal server error."})


async def test_the_browser_doors_guard_the_layer_in_its_body(mounted: Mounted) -> None:
    # A foreign page's form post: refused by the doors before the layer's auth sees it.
    refused = await mounted.both("POST", "/echo", headers=FOREIGN_PAGE, data=b"{}")
    for status, body in refused:
        assert status == 403 and body["detail"].startswith("Cross-origin request refused")
    # A rebound host name (loopback, no auth): refused on both mountings.
    for status, body in await mounted.both("GET", "/presets", headers={"Host": "evil.example"}):
        assert status == 403 and "is not allowed here" in body["detail"]
    # Another origin's preflight is refused; an extension's is answered.
    preflight = {"Origin": "http://attacker.example", "Access-Control-Request-Method": "POST"}
    for status, body in await mounted.both("OPTIONS", "/echo", headers=preflight):
        assert status == 403 and list(body) == ["detail"]
    extension = {**preflight, "Origin": "chrome-extension://abcdef"}
    async with mounted.session.options("/echo", headers=extension) as preflighted:
        assert preflighted.status == 204
    # Scripts (no page, an explicit credential) pass.
    for answer in await mounted.both("POST", "/echo", headers=TOKEN_HEADER, json={"a": 1}):
        assert answer == (200, {"echo": {"a": 1}})


async def test_the_native_api_is_unaffected(mounted: Mounted) -> None:
    ping = await mounted.client.get("/api/ping")
    assert ping.status == 200
    missing = await mounted.client.get("/api/no-such-route")
    assert (missing.status, await missing.json()) == (404, {"error": "Not Found"})
    # The layer's port serves the layer only: no native route there.
    status, body = await mounted.on_port("GET", "/api/ping", headers=TOKEN_HEADER)
    assert (status, list(body)) == (404, ["detail"])


async def test_native_basic_auth_does_not_guard_the_layer_nor_the_reverse(
    aiohttp_client: AiohttpClient, settings: Settings
) -> None:
    secured = settings.model_copy(update={"auth_username": "admin", "auth_password": "pw"})
    mounted = await mount_probe(aiohttp_client, secured)
    async with mounted.session:
        for answer in await mounted.both("GET", "/presets/default", headers=TOKEN_HEADER):
            assert answer == (200, {"name": "default"})
        refused = await mounted.client.get("/api/ping", headers=TOKEN_HEADER)
        assert (refused.status, await refused.json()) == (
            401,
            {"error": "Authorization Required."},
        )
        basic = {"Authorization": "Basic " + base64.b64encode(b"admin:pw").decode()}
        assert (await mounted.client.get("/api/ping", headers=basic)).status == 200
        for status, body in await mounted.both("GET", "/presets", headers=basic):
            assert status == 403 and list(body) == ["detail"]


async def test_under_a_base_path_the_prefix_is_inside_it(
    aiohttp_client: AiohttpClient, settings: Settings
) -> None:
    based = settings.model_copy(update={"base_path": "/tube"})
    mounted = await mount_probe(aiohttp_client, based)
    async with mounted.session:
        answer = await mounted.client.get(f"/tube{PREFIX}/presets/default", headers=TOKEN_HEADER)
        assert (answer.status, await answer.json()) == (200, {"name": "default"})
        assert (await mounted.client.get("/tube/api/ping")).status == 200
        # Its own port still serves it at the root.
        status, body = await mounted.on_port("GET", "/presets/default", headers=TOKEN_HEADER)
        assert (status, body) == (200, {"name": "default"})


async def test_shutdown_closes_the_layers_port(mounted: Mounted) -> None:
    status, _ = await mounted.on_port("GET", "/presets", headers=TOKEN_HEADER)
    assert status == 200
    await mounted.client.close()
    await mounted.session.close()
    async with aiohttp.ClientSession() as fresh:
        with pytest.raises(aiohttp.ClientConnectionError):
            await fresh.get(f"http://127.0.0.1:{mounted.port}/presets")


async def test_a_port_in_use_fails_start_up_and_closes_what_it_opened(
    aiohttp_client: AiohttpClient, settings: Settings
) -> None:
    taken, opened_first = free_port(), free_port()
    blocker = await aiohttp_client(create_app(settings, layers=[probe_layer(taken)]))
    second = settings.model_copy(update={"config_path": settings.config_path.with_name("c2")})
    layers = [probe_layer(opened_first, prefix="/first"), probe_layer(taken)]
    runner = web.AppRunner(create_app(second, layers=layers))
    try:
        with pytest.raises(RuntimeError, match=f"probe: cannot listen on 127.0.0.1:{taken}"):
            await runner.setup()
    finally:
        await runner.cleanup()
    async with aiohttp.ClientSession() as fresh:
        with pytest.raises(aiohttp.ClientConnectionError):
            await fresh.get(f"http://127.0.0.1:{opened_first}/presets")
    await blocker.close()
