"""Who may call the layer, and how it answers: tokens, slash forms, the prefix, CORS."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.compat.tubearchivist.tokens import Tokens
from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient

PING = {"response": "pong", "user": 1, "version": "v0.4.0"}


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "Authentication credentials were not provided."),
        ("Token", "Authentication credentials were not provided."),
        ("Bearer abc", "Authentication credentials were not provided."),
        ("Token wrong", "Invalid token."),
    ],
)
async def test_a_missing_or_wrong_token_is_a_403_detail(
    ta: TaClient, authorization: str | None, detail: str
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    async with ta.session.get(f"{ta.base_url}/api/ping/", headers=headers) as answer:
        assert (answer.status, await answer.json()) == (403, {"detail": detail})
    for path in ("api/video/", "media/x.mp4", "api/no-such-route/"):
        status, body = await ta.call("GET", path, headers={"Authorization": authorization or ""})
        assert (status, body) == (403, {"detail": detail})


async def test_both_slash_forms_are_answered_directly(ta: TaClient) -> None:
    for path in ("api/ping/", "api/ping", "api/video/", "api/video", "api/download"):
        status, body = await ta.call("GET", path)  # redirects are not followed
        assert status == 200, (path, body)
    assert await ta.get("api/ping") == PING


async def test_the_layer_is_under_ta_on_the_main_port_too(ta: TaClient, client: Client) -> None:
    main = TaClient(str(client.make_url("/ta")), ta.token)
    try:
        assert await main.get("api/ping/") == PING
        status, body = await main.call("GET", "api/video/missing/")
        assert (status, body) == (404, {"data": False, "error": "video 'missing' not found"})
    finally:
        await main.close()
    # The native API is unchanged beside it.
    assert (await client.get("/api/ping")).status == 200


async def test_unknown_routes_and_bad_bodies_answer_detail(ta: TaClient) -> None:
    status, body = await ta.call("GET", "api/nothing-here/")
    assert status == 404 and list(body) == ["detail"]
    async with ta.session.post(
        f"{ta.base_url}/api/video/x/progress/", data=b"{", headers=ta.headers()
    ) as answer:
        assert answer.status in (400, 404)


async def test_the_extensions_preflight_is_answered(ta: TaClient) -> None:
    preflight = {
        "Origin": "chrome-extension://abcdefghijklmnopabcdefghijklmnop",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization, content-type, mode",
    }
    async with ta.session.options(f"{ta.base_url}/api/download/", headers=preflight) as answer:
        assert answer.status in (200, 204)
        allowed = answer.headers["Access-Control-Allow-Headers"].lower()
        assert {"authorization", "content-type", "mode"} <= {h.strip() for h in allowed.split(",")}
        assert answer.headers["Access-Control-Allow-Origin"] == preflight["Origin"]
    # And the request that follows it, from the extension's origin.
    status, body = await ta.call("GET", "api/ping/", headers={"Origin": preflight["Origin"]})
    assert (status, body) == (200, PING)
    foreign = {**preflight, "Origin": "http://attacker.example"}
    async with ta.session.options(f"{ta.base_url}/api/download/", headers=foreign) as answer:
        assert answer.status == 403


async def test_login_checks_the_native_credentials(tmp_path: Path, make_client: MakeClient) -> None:
    port = free_port()
    settings: Settings = make_settings(
        tmp_path, tubearchivist_port=port, auth_username="admin", auth_password="pw"
    )
    await make_client(settings)
    ta = TaClient(f"http://127.0.0.1:{port}")
    try:
        status, body = await ta.call("POST", "api/login/", {"username": "admin", "password": "x"})
        assert (status, body) == (
            400,
            {"non_field_errors": ["Unable to log in with provided credentials."]},
        )
        status, body = await ta.call("POST", "api/login/", {"username": "admin"})
        assert status == 400 and "detail" in body
        await ta.login("admin", "pw")
        assert len(ta.token) == 40
        assert await ta.get("api/ping/") == PING
    finally:
        await ta.close()


def test_a_token_changes_with_the_credentials(tmp_path: Path) -> None:
    key = b"k" * 32
    first = Tokens.of(make_settings(tmp_path, auth_username="a", auth_password="1"), key)
    second = Tokens.of(make_settings(tmp_path, auth_username="a", auth_password="2"), key)
    assert first.user_for(first.token()) == 1
    assert second.user_for(first.token()) is None
    assert Tokens.of(make_settings(tmp_path), b"x" * 32).user_for(first.token()) is None


async def test_by_default_the_layer_has_no_port_of_its_own(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path)
    assert settings.tubearchivist_port is None
    client = await make_client(settings)
    answer = await client.get("/ta/api/ping/")
    assert answer.status == 403  # there, under /ta, asking for its token


async def test_the_video_page_needs_no_token_and_leads_to_the_web_ui(
    ta: TaClient, settings: Settings
) -> None:
    async with ta.session.get(f"{ta.base_url}/video/v-basic/", allow_redirects=False) as answer:
        assert answer.status == 302
        assert answer.headers["Location"] == (
            f"http://127.0.0.1:{settings.port}/#/library?video=v-basic"
        )
