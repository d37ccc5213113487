"""CORS: only allowed origins pass a preflight or read an answer.

A refused preflight is what makes a JSON content type, an Authorization header a page set
itself, or ``X-API-Key`` proof of an allowed origin: a foreign page cannot send them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import foreign_senders, own_origin

PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, mode",
    "Sec-Fetch-Mode": "cors",
}
PATHS = ["/api/history", "/api/history/", "/api/system/pause", "/ws", "/socket.io/", "/nope"]


async def test_foreign_preflights_are_refused(client: Client) -> None:
    for sender, headers in foreign_senders(client).items():
        if "Origin" not in headers:
            continue
        for path in PATHS:
            response = await client.options(path, headers={**headers, **PREFLIGHT})
            assert response.status == 403, (sender, path)
            assert "Access-Control-Allow-Origin" not in response.headers
            assert "Access-Control-Allow-Headers" not in response.headers
            assert "Origin" in response.headers["Vary"]
            assert "is not allowed" in (await response.json())["error"]


async def test_the_quick_add_has_no_preflight_to_pass(client: Client) -> None:
    # The bookmarklet sends a simple GET; anything needing a preflight is refused there too.
    response = await client.options(
        "/api/history/add", headers={"Origin": "https://site.example", **PREFLIGHT}
    )
    assert response.status == 403


@pytest.mark.parametrize(
    "origin", ["chrome-extension://abcdef", "moz-extension://0f1e-2d", "safari-web-extension://z"]
)
async def test_extension_preflights_pass_without_credentials(client: Client, origin: str) -> None:
    for path in PATHS:
        response = await client.options(path, headers={"Origin": origin, **PREFLIGHT})
        assert response.status == 204, path
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert response.headers["Access-Control-Allow-Headers"] == (
            "authorization, content-type, mode"
        )
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert "Access-Control-Allow-Credentials" not in response.headers


async def test_own_and_listed_origins_pass(tmp_path: Path, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, cors_origins=("https://dash.example",)))
    for origin in (own_origin(client), "https://dash.example"):
        headers = {
            "Origin": origin,
            "Access-Control-Request-Private-Network": "true",
            **PREFLIGHT,
        }
        response = await client.options("/api/history", headers=headers)
        assert response.status == 204
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert response.headers["Access-Control-Allow-Private-Network"] == "true"


async def test_a_preflight_without_origin_lists_the_methods(client: Client) -> None:
    response = await client.options("/api/history")
    assert response.status == 204
    assert "POST" in response.headers["Allow"]
    assert "Access-Control-Allow-Origin" not in response.headers


async def test_only_allowed_origins_read_answers(client: Client) -> None:
    for headers in foreign_senders(client).values():
        for path in ("/api/ping", "/api/history/live", "/api/system/configuration", "/"):
            response = await client.get(path, headers=headers)
            assert "Access-Control-Allow-Origin" not in response.headers, (path, headers)
            assert "Origin" in response.headers["Vary"]
    for origin in ("chrome-extension://abc", own_origin(client)):
        response = await client.get("/api/history/live", headers={"Origin": origin})
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert "Retry-After" in response.headers["Access-Control-Expose-Headers"]
        assert "Access-Control-Allow-Credentials" not in response.headers
