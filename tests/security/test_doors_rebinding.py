"""DNS rebinding: bound to loopback without auth, only loopback or listed Host names answer.

A page on attacker.example whose name is re-pointed at 127.0.0.1 is same-origin with the
server as far as the browser knows, so its Origin and Sec-Fetch-Site look like ours; only
the Host name it sends gives it away.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import PASSWORD, USERNAME, port


def foreign_hosts(port: int) -> list[str]:
    return [
        "attacker.example",
        f"attacker.example:{port}",
        f"127.0.0.1.nip.io:{port}",
        "localhost.evil",
        f"localhost.evil:{port}",
        f"evil.localhost.attacker.example:{port}",
        f"localhost@attacker.example:{port}",
        f"[::1].attacker.example:{port}",
        "",
        f"127.0.0.1:{port}.attacker.example",
    ]


def loopback_hosts(port: int) -> list[str]:
    return [
        f"localhost:{port}",
        "localhost",
        f"LocalHost:{port}",
        f"localhost.:{port}",
        f"tube.localhost:{port}",
        f"127.0.0.1:{port}",
        "127.0.0.2",
        f"127.255.0.9:{port}",
        f"[::1]:{port}",
        "[::1]",
    ]


def rebound(host: str) -> dict[str, str]:
    """A rebound page's own request: the browser thinks it is same-origin."""
    return {"Host": host, "Origin": f"http://{host}", "Sec-Fetch-Site": "same-origin"}


async def paused(client: Client) -> bool:
    config = await (await client.get("/api/system/configuration")).json()
    return bool(config["paused"])


async def assert_host_refused(client: Client, host: str, prefix: str = "") -> None:
    for method, path in (("GET", "/api/ping"), ("GET", "/"), ("POST", "/api/system/pause")):
        response = await client.request(method, prefix + path, headers=rebound(host))
        assert response.status == 403, (host, path)
        assert "YTP_ALLOWED_HOSTS" in (await response.json())["error"]
    preflight = await client.options(
        prefix + "/api/history",
        headers={**rebound(host), "Access-Control-Request-Method": "POST"},
    )
    assert preflight.status == 403
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect(prefix + "/ws", headers=rebound(host))
    assert refused.value.status == 403


async def test_a_rebound_name_is_refused_at_every_door(client: Client) -> None:
    for host in foreign_hosts(port(client)):
        await assert_host_refused(client, host)
    assert await paused(client) is False


async def test_loopback_names_answer(client: Client) -> None:
    for host in loopback_hosts(port(client)):
        assert (await client.get("/api/ping", headers={"Host": host})).status == 200, host
        response = await client.post("/api/system/pause", headers=rebound(host))
        assert response.status == 200, (host, await response.text())
        assert (await client.post("/api/system/resume", headers=rebound(host))).status == 200
        ws = await client.ws_connect("/ws", headers=rebound(host))
        assert (await ws.receive_json(timeout=30))["event"] == "connected"
        await ws.close()


async def test_listed_host_names_answer(tmp_path: Path, make_client: MakeClient) -> None:
    settings = make_settings(tmp_path, allowed_hosts=("Tube.LAN", "nas.example:8081"))
    client = await make_client(settings)
    for host in ("tube.lan", f"tube.lan:{client.port}", "TUBE.lan.", "nas.example:8081"):
        assert (await client.get("/api/ping", headers={"Host": host})).status == 200, host
    for host in ("nas.example", "nas.example:8082", "x.tube.lan", *foreign_hosts(port(client))):
        await assert_host_refused(client, host)


async def test_under_a_base_path_too(tmp_path: Path, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, base_path="/tube"))
    await assert_host_refused(client, "attacker.example", prefix="/tube")
    assert (await client.get("/tube/api/ping", headers={"Host": "localhost"})).status == 200


@pytest.mark.parametrize(
    "overrides",
    [
        {"auth_username": USERNAME, "auth_password": PASSWORD},  # credentials stop rebinding
        {"host": "0.0.0.0"},  # reached by names the server cannot know
    ],
    ids=["auth-on", "not-loopback"],
)
async def test_other_set_ups_do_not_check_the_host(
    tmp_path: Path, make_client: MakeClient, overrides: dict[str, Any]
) -> None:
    client = await make_client(make_settings(tmp_path, **overrides))
    response = await client.get("/api/ping", headers={"Host": "tube.example.com"})
    assert response.status in (200, 401)
    if overrides.get("auth_username"):
        assert response.status == 401  # the browser has no credentials for the rebound name
    # Naming hosts turns the check on whatever the bind address.
    listed = await make_client(
        make_settings(tmp_path / "listed", allowed_hosts=("tube.example.com",), **overrides)
    )
    assert (await listed.get("/api/ping", headers={"Host": "attacker.example"})).status == 403
