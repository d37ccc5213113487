"""API keys as TubeArchivist tokens: each key's role applies per route; the derived token
stays the admin; wrong and revoked keys are TubeArchivist's 403, then 429 for an address
that keeps trying."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.access.permissions import Permission
from app.access.service import KEY_FAILURE_LIMIT
from app.compat.tubearchivist.permissions import PERMISSIONS
from app.settings import Settings
from tests.access.conftest import ADMIN_KEY
from tests.conftest import Client, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient

ADMIN_ROUTES = sorted(route for route, needs in PERMISSIONS.items() if needs is Permission.ADMIN)
INVALID = (403, {"detail": "Invalid token."})


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, tubearchivist_port=free_port(), admin_key=ADMIN_KEY)


async def new_key(client: Client, name: str, role: str, **extra: object) -> tuple[int, str]:
    body = {"name": name, "role": role, **extra}
    answer = await client.post("/api/keys", json=body, headers={"X-API-Key": ADMIN_KEY})
    assert answer.status == 201, await answer.text()
    created = await answer.json()
    return created["item"]["id"], created["key"]


@pytest.fixture
async def as_key(settings: Settings) -> AsyncIterator[TaClient]:
    """A client on the layer's port whose token is set by each test to a key."""
    session = TaClient(f"http://127.0.0.1:{settings.tubearchivist_port}")
    yield session
    await session.close()


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path) + ("" if path.startswith(("/media", "/cache")) else "/")


async def test_a_downloader_key_reads_and_adds_but_is_refused_admin_routes(
    client: Client, as_key: TaClient, fixture_site: FixtureSite
) -> None:
    _, as_key.token = await new_key(client, "phone", "downloader")
    assert (await as_key.get("api/ping/"))["response"] == "pong"
    assert (await as_key.get("api/video/"))["data"] == []
    assert (await as_key.get("api/channel/"))["data"] == []
    body = {"data": [{"youtube_id": fixture_site.url("/watch/v-second"), "status": "pending"}]}
    assert await as_key.call("POST", "api/download/", body) == (200, body)
    queued = await as_key.get("api/download/")
    assert [d["youtube_id"] for d in queued["data"]] == ["v-second"]
    for method, path in ADMIN_ROUTES:
        status, answer = await as_key.call(method, _filled(path), {}, params={"filter": "pending"})
        assert status == 403, (method, path, answer)
        assert "'admin' permission" in answer["detail"], (method, path)
    # Nothing was deleted on the way.
    assert [d["youtube_id"] for d in (await as_key.get("api/download/"))["data"]] == ["v-second"]
    # The same under /ta on the main port.
    main = TaClient(str(client.make_url("/ta")), as_key.token)
    try:
        assert (await main.get("api/video/"))["data"] == []
        for path in ("api/cookie/", "api/appsettings/cookie/", "api/snapshot/", "api/task/"):
            assert (await main.call("GET", path))[0] == 403, path
    finally:
        await main.close()


async def test_a_read_only_key_may_not_add(client: Client, as_key: TaClient) -> None:
    _, as_key.token = await new_key(client, "viewer", "custom", permissions=["read"])
    assert (await as_key.get("api/download/"))["data"] == []
    status, answer = await as_key.call("POST", "api/download/", {"data": []})
    assert status == 403 and "'add' permission" in answer["detail"]


async def test_an_admin_key_does_everything(
    client: Client, as_key: TaClient, fixture_site: FixtureSite
) -> None:
    _, as_key.token = await new_key(client, "boss", "admin")
    for path in ("api/cookie/", "api/appsettings/cookie/", "api/snapshot/", "api/task/"):
        await as_key.get(path)
    body = {"data": [{"youtube_id": fixture_site.url("/watch/v-second"), "status": "pending"}]}
    assert await as_key.call("POST", "api/download/", body) == (200, body)
    status, answer = await as_key.call("DELETE", "api/download/", params={"filter": "pending"})
    assert (status, answer) == (200, {"deleted": 1, "filter": "pending"})
    as_key.token = ADMIN_KEY  # the operator's key is an admin key too
    await as_key.get("api/snapshot/")


async def test_a_revoked_key_is_refused(client: Client, as_key: TaClient) -> None:
    key_id, as_key.token = await new_key(client, "old", "downloader")
    await as_key.get("api/ping/")
    revoked = await client.delete(f"/api/keys/{key_id}", headers={"X-API-Key": ADMIN_KEY})
    assert revoked.status == 200
    assert await as_key.call("GET", "api/ping/") == INVALID
    assert await as_key.call("GET", "api/video/") == INVALID


async def test_the_derived_token_is_still_the_admin(ta: TaClient) -> None:
    """The token login gives stands for the Basic-auth user: every route is open to it."""
    assert (await ta.get("api/ping/"))["user"] == 1
    for path in ("api/cookie/", "api/snapshot/", "api/task/", "api/refresh/"):
        await ta.get(path)


async def test_an_address_that_keeps_sending_wrong_tokens_must_wait(
    ta: TaClient, client: Client
) -> None:
    _, key = await new_key(client, "phone", "downloader")
    wrong = {"Authorization": f"Token {key}x"}
    for _ in range(KEY_FAILURE_LIMIT):
        assert await ta.call("GET", "api/ping/", headers=wrong) == INVALID
    for token in (f"{key}x", key, ta.token):  # then even right tokens wait, as X-API-Key's
        async with ta.session.get(
            f"{ta.base_url}/api/ping/", headers={"Authorization": f"Token {token}"}
        ) as answer:
            assert answer.status == 429
            assert list(await answer.json()) == ["detail"]
            assert int(answer.headers["Retry-After"]) >= 1
    # The native API's keys count the same failures (one throttle per address).
    refused = await client.get("/api/ping", headers={"X-API-Key": key})
    assert refused.status == 429


async def test_roles_apply_under_a_base_path(tmp_path: Path, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, base_path="/tube", admin_key=ADMIN_KEY))
    answer = await client.post(
        "/tube/api/keys", json={"name": "phone"}, headers={"X-API-Key": ADMIN_KEY}
    )
    assert answer.status == 201, await answer.text()
    main = TaClient(str(client.make_url("/tube/ta")), (await answer.json())["key"])
    try:
        assert (await main.get("api/video/"))["data"] == []
        assert (await main.call("GET", "api/cookie/"))[0] == 403
    finally:
        await main.close()
