"""``/ws`` and ``/socket.io/`` follow the same origin rules as every other door.

Browsers send ``Origin`` on every WebSocket handshake and never run a preflight for it, so
the handshake itself must be refused; socket.io's long-polling GETs and POSTs too.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app.core.auth import COOKIE_NAME
from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import PASSWORD, USERNAME, basic, foreign_senders, own_senders

POLLING = {"EIO": "4", "transport": "polling"}


def socket_senders(client: Client) -> dict[str, dict[str, str]]:
    """The foreign senders as a handshake: a GET in mode ``websocket``."""
    senders = {}
    for name, headers in foreign_senders(client).items():
        kept = {k: v for k, v in headers.items() if k in ("Origin", "Sec-Fetch-Site")}
        mode = {"Sec-Fetch-Mode": "websocket"} if "Sec-Fetch-Site" in kept else {}
        senders[name] = {**kept, **mode}
    return senders


async def assert_ws_refused(client: Client, path: str, **kwargs: Any) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(path, **kwargs)
    assert refused.value.status == 403


async def open_polling(client: Client, headers: dict[str, str]) -> aiohttp.ClientResponse:
    return await client.get("/socket.io/", params=POLLING, headers=headers)


async def test_foreign_pages_cannot_open_sockets(client: Client) -> None:
    for sender, headers in socket_senders(client).items():
        await assert_ws_refused(client, "/ws", headers=headers)
        await assert_ws_refused(
            client, "/socket.io/", params={"EIO": "4", "transport": "websocket"}, headers=headers
        )
        polling = await open_polling(client, headers)
        assert polling.status == 403, sender
        assert "Access-Control-Allow-Origin" not in polling.headers


async def test_a_foreign_page_cannot_join_a_socketio_session(client: Client) -> None:
    """Even with a session id it learned somehow, its packets are refused."""
    opened = await open_polling(client, {})
    assert opened.status == 200
    sid = json.loads((await opened.text())[1:])["sid"]
    params = {**POLLING, "sid": sid}
    for headers in foreign_senders(client).values():
        for body in ("40", '42["item_delete", {"id": "x"}]'):
            response = await client.post(
                "/socket.io/",
                params=params,
                data=body,
                headers={**headers, "Content-Type": "text/plain;charset=UTF-8"},
            )
            assert response.status == 403
            assert "Access-Control-Allow-Origin" not in response.headers


async def test_our_pages_and_extensions_open_sockets(client: Client) -> None:
    senders = {**own_senders(client), "extension": {"Origin": "chrome-extension://abc"}}
    for sender, headers in senders.items():
        ws = await client.ws_connect("/ws", headers=headers)
        assert (await ws.receive_json(timeout=30))["event"] == "connected", sender
        await ws.close()
        polling = await open_polling(client, headers)
        assert polling.status == 200, sender
        assert (await polling.text()).startswith("0{")


async def test_listed_origins_open_sockets(tmp_path: Path, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, cors_origins=("https://dash.example",)))
    ws = await client.ws_connect(
        "/ws", headers={"Origin": "https://dash.example", "Sec-Fetch-Site": "cross-site"}
    )
    assert (await ws.receive_json(timeout=30))["event"] == "connected"
    await ws.close()


async def test_with_auth_only_explicit_credentials_open_a_socket_from_elsewhere(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path, auth_username=USERNAME, auth_password=PASSWORD)
    client = await make_client(settings)
    login = await client.get("/api/ping", headers={"Authorization": f"Basic {basic()}"})
    cookie = {"Cookie": f"{COOKIE_NAME}={login.cookies[COOKIE_NAME].value}"}
    client.session.cookie_jar.clear()
    foreign = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
    # The browser adds cached Basic credentials and a same-site cookie by itself.
    await assert_ws_refused(client, "/ws", headers={**foreign, "Authorization": f"Basic {basic()}"})
    await assert_ws_refused(
        client,
        "/ws",
        headers={"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"} | cookie,
    )
    # ?apikey= is written by a page that knows the secret.
    ws = await client.ws_connect("/ws", params={"apikey": basic()}, headers=foreign)
    assert (await ws.receive_json(timeout=30))["event"] == "connected"
    await ws.close()
