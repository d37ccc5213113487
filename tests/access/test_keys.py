"""Native API keys: made once and shown once, revoked at once, checked on every door."""

from __future__ import annotations

import base64
from pathlib import Path

from pytest_aiohttp import AiohttpClient

from app import keys
from app.server import create_app
from tests.access.conftest import ADMIN_KEY, make_key
from tests.conftest import Client, make_settings
from tests.fixtures.site import FixtureSite

ADMIN = {"X-API-Key": ADMIN_KEY}


async def test_a_key_is_shown_once_and_revoked_at_once(keyed: Client) -> None:
    answer = await keyed.post("/api/keys", json={"name": "script"}, headers=ADMIN)
    assert answer.status == 201
    created = await answer.json()
    key = created["key"]
    assert key.startswith("ytp_") and len(key) == 47
    assert created["item"]["role"] == "downloader"
    listed = await (await keyed.get("/api/keys", headers=ADMIN)).json()
    assert [k["name"] for k in listed] == ["admin", "script"]
    assert key not in str(listed) and listed[1]["prefix"] == key[:12]
    # Only a hash is stored.
    config = keyed.app[keys.SETTINGS].config_path
    for stored in config.glob("tubestash.db*"):  # the WAL too
        assert key.encode() not in stored.read_bytes()
    assert (await keyed.get("/api/ping", headers={"X-API-Key": key})).status == 200
    revoked = await keyed.delete(f"/api/keys/{created['item']['id']}", headers=ADMIN)
    assert revoked.status == 200
    refused = await keyed.get("/api/ping", headers={"X-API-Key": key})
    assert (refused.status, await refused.json()) == (401, {"error": "Invalid API key."})


async def test_names_roles_and_permissions_are_checked(keyed: Client) -> None:
    for body in (
        {"name": "../x"},
        {"name": ""},
        {"name": "ok", "role": "root"},
        {"name": "ok", "role": "custom", "permissions": ["fly"]},
    ):
        answer = await keyed.post("/api/keys", json=body, headers=ADMIN)
        assert answer.status == 400, body
    await make_key(keyed, "twice")
    again = await keyed.post("/api/keys", json={"name": "twice"}, headers=ADMIN)
    assert again.status == 409
    # A custom key with admin in its list is still not an admin.
    sneaky = await make_key(keyed, "sneaky", "custom", permissions=["admin", "read"])
    answer = await keyed.get("/api/keys", headers={"X-API-Key": sneaky})
    assert answer.status == 403


async def test_with_basic_auth_a_key_replaces_the_password(
    aiohttp_client: AiohttpClient, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, admin_key=ADMIN_KEY, auth_username="me", auth_password="pw")
    client = await aiohttp_client(create_app(settings))
    assert (await client.get("/api/ping")).status == 401
    assert (await client.get("/api/ping", headers=ADMIN)).status == 200
    basic = {"Authorization": "Basic " + base64.b64encode(b"me:pw").decode()}
    # The Basic-auth user is an admin.
    assert (await client.get("/api/keys", headers=basic)).status == 200
    phone = await make_key(client, "phone")
    assert (await client.get("/api/history", headers={"X-API-Key": phone})).status == 200
    assert (await client.get("/api/keys", headers={"X-API-Key": phone})).status == 403
    # A key is not a password: a wrong one is 401 even beside good Basic credentials.
    both = {**basic, "X-API-Key": "ytp_wrong"}
    assert (await client.get("/api/ping", headers=both)).status == 401


async def test_wrong_keys_are_throttled_per_address(keyed: Client) -> None:
    for _ in range(10):
        answer = await keyed.get("/api/ping", headers={"X-API-Key": "ytp_guess"})
        assert answer.status == 401
    throttled = await keyed.get("/api/ping", headers=ADMIN)
    assert throttled.status == 429 and int(throttled.headers["Retry-After"]) >= 1
    # The yt-dlp-host door counts the same failures.
    host = await keyed.get("/get_keys", headers=ADMIN)
    assert host.status == 429 and "Retry-After" in host.headers
    # Requests without a key (the operator, no auth configured) are not keys: unaffected.
    assert (await keyed.get("/api/ping")).status == 200


async def test_adds_by_a_key_are_rate_limited(
    aiohttp_client: AiohttpClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    settings = make_settings(tmp_path, admin_key=ADMIN_KEY, key_rate_limit=2)
    client = await aiohttp_client(create_app(settings))
    phone = await make_key(client, "phone")
    url = fixture_site.url("/watch/v-basic")
    headers = {"X-API-Key": phone}
    for _ in range(2):
        body = {"url": url, "auto_start": False, "force": True}
        answer = await client.post("/api/history", json=body, headers=headers)
        assert answer.status == 200
    limited = await client.post("/api/history", json={"url": url}, headers=headers)
    assert limited.status == 429
    assert (await limited.json())["error"].startswith("Rate limit exceeded")
    assert 1 <= int(limited.headers["Retry-After"]) <= 300
    # Another key has its own bucket; the operator (no key) has none.
    other = await make_key(client, "other")
    quick = f"/api/history/add?url={url}&auto_start=false"
    assert (await client.get(quick, headers={"X-API-Key": other})).status == 200
    assert (await client.get("/api/history/live")).status == 200


async def test_keys_that_are_not_admins_never_use_unsafe_options(
    aiohttp_client: AiohttpClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    settings = make_settings(tmp_path, admin_key=ADMIN_KEY, allow_unsafe_options=True)
    client = await aiohttp_client(create_app(settings))
    phone = await make_key(client, "phone")
    url = fixture_site.url("/watch/v-basic")
    for entry in (
        {"url": url, "cli": "--exec 'touch /tmp/owned'"},
        {"url": url, "template": "/etc/%(id)s.%(ext)s"},
    ):
        answer = await client.post("/api/history", json=[entry], headers={"X-API-Key": phone})
        assert answer.status == 400, await answer.text()
    # The operator allowed them: an admin key may.
    body = {"url": url, "cli": "--exec 'echo done'", "auto_start": False}
    answer = await client.post("/api/history", json=body, headers=ADMIN)
    assert answer.status == 200 and (await answer.json())[0]["status"] == "queued"
    socket = await client.ws_connect("/ws", headers={"X-API-Key": phone})
    try:
        await socket.receive_json()  # connected
        await socket.send_json({"event": "add_url", "data": {"url": url, "cli": "--exec id"}})
        refused = await socket.receive_json(timeout=30)
        assert refused["event"] == "log_error" and "--exec" in refused["data"]["message"]
    finally:
        await socket.close()
