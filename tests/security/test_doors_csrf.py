"""Every state change needs proof that no foreign page sent it: one rule for every route.

The refused requests are the ones a page on another site can make a browser send without
a preflight: forms (urlencoded, text/plain, multipart), no-cors fetches, with the browser's
cached Basic credentials or its session cookie attached. Each refusal must change nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from app.core.auth import COOKIE_NAME
from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import (
    EVIL,
    FORM_BODIES,
    PASSWORD,
    USERNAME,
    basic,
    foreign_senders,
    own_senders,
    request_args,
)

# Body-less and form-able state changes across the API (unknown ids included: the door
# stands before the handler, so it must not matter whether the target exists).
STATE_CHANGES = [
    ("POST", "/api/system/pause"),
    ("POST", "/api/system/resume"),
    ("POST", "/api/history/abc/nfo"),
    ("POST", "/api/history/abc/archive"),
    ("DELETE", "/api/history/abc/archive"),
    ("POST", "/api/history"),
    ("POST", "/api/history/"),
    ("DELETE", "/api/history"),
    ("POST", "/api/history/start"),
    ("POST", "/api/history/cancel"),
    ("POST", "/api/presets"),
    ("PUT", "/api/presets/1"),
    ("PATCH", "/api/presets/1"),
    ("DELETE", "/api/presets/1"),
    ("POST", "/api/conditions"),
    ("DELETE", "/api/dl_fields/1"),
    ("POST", "/api/archiver"),
    ("POST", "/api/yt-dlp/command/"),
    ("POST", "/no/such/route"),
]


async def snapshot(client: Client, **auth: Any) -> dict[str, Any]:
    """What a state change could have touched, read as a script would."""
    config = await (await client.get("/api/system/configuration", **auth)).json()
    conditions = await (await client.get("/api/conditions", **auth)).json()
    keep = ("paused", "presets", "dl_fields", "history_count", "queue")
    return {**{key: config[key] for key in keep}, "conditions": conditions}


async def assert_refused(client: Client, method: str, path: str, **kwargs: Any) -> None:
    response = await client.request(method, path, **kwargs)
    assert response.status == 403, (method, path, kwargs, await response.text())
    body = await response.json()
    assert "Cross-origin request refused" in body["error"]
    assert "Access-Control-Allow-Origin" not in response.headers
    assert COOKIE_NAME not in response.cookies


# -- auth off --------------------------------------------------------------------------------


async def test_no_foreign_page_changes_anything(client: Client) -> None:
    before = await snapshot(client)
    for sender, headers in foreign_senders(client).items():
        for method, path in STATE_CHANGES:
            for body in FORM_BODIES:
                args = request_args(body, headers)
                await assert_refused(client, method, path, **args)
        assert await snapshot(client) == before, sender


async def test_pausing_from_a_foreign_page_is_refused_then_works_from_our_own(
    client: Client,
) -> None:
    headers = foreign_senders(client)["cross-site-form"]
    await assert_refused(client, "POST", "/api/system/pause", headers=headers)
    assert (await snapshot(client))["paused"] is False
    for sender, own in own_senders(client).items():
        response = await client.post("/api/system/pause", headers=own)
        assert response.status == 200, (sender, await response.text())
        assert (await snapshot(client))["paused"] is True
        assert (await client.post("/api/system/resume", headers=own)).status == 200
        assert (await snapshot(client))["paused"] is False


@pytest.mark.parametrize(
    "origin",
    ["chrome-extension://abcdefghijklmnop", "moz-extension://1b2c3d", "safari-web-extension://x"],
)
async def test_browser_extensions_may_change_state(client: Client, origin: str) -> None:
    for site in ("cross-site", "none", None):
        headers = {"Origin": origin, **({"Sec-Fetch-Site": site} if site else {})}
        response = await client.post("/api/system/pause", headers=headers)
        assert response.status == 200, await response.text()
        assert response.headers["Access-Control-Allow-Origin"] == origin
        assert (await client.post("/api/system/resume", headers=headers)).status == 200


async def test_listed_origins_may_change_state(tmp_path: Any, make_client: MakeClient) -> None:
    listed = "https://dash.example:8443"
    client = await make_client(make_settings(tmp_path, cors_origins=(listed, "http://a.test")))
    for origin in (listed, "HTTPS://DASH.EXAMPLE:8443", "http://a.test:80", "http://a.test"):
        headers = {"Origin": origin, "Sec-Fetch-Site": "cross-site"}
        for step in ("pause", "resume"):
            response = await client.post(f"/api/system/{step}", headers=headers)
            assert response.status == 200, (origin, await response.text())
    assert (await client.post("/api/system/pause")).status == 200
    for origin in ("https://dash.example", "http://dash.example:8443", "https://a.test"):
        headers = {"Origin": origin, "Sec-Fetch-Site": "cross-site"}
        await assert_refused(client, "POST", "/api/system/resume", headers=headers)
    assert (await snapshot(client))["paused"] is True


async def test_an_apikey_proves_nothing_without_auth(client: Client) -> None:
    # With no credentials configured nobody checks it: a page could make one up.
    headers = foreign_senders(client)["cross-site-form"]
    await assert_refused(client, "POST", "/api/system/pause?apikey=x", headers=headers)
    assert (await snapshot(client))["paused"] is False


# -- auth on ---------------------------------------------------------------------------------


@pytest.fixture
def auth_settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"auth_username": USERNAME, "auth_password": PASSWORD})


@pytest.fixture
async def auth_client(auth_settings: Settings, make_client: MakeClient) -> Client:
    return await make_client(auth_settings)


BASIC = {"Authorization": f"Basic {basic()}"}


async def login_cookie(client: Client) -> str:
    response = await client.get("/api/ping", headers=BASIC)
    value = response.cookies[COOKIE_NAME].value
    client.session.cookie_jar.clear()
    return value


async def test_cached_basic_credentials_never_authorise_a_foreign_page(
    auth_client: Client,
) -> None:
    """A browser attaches cached Basic credentials to a cross-site form by itself."""
    before = await snapshot(auth_client, headers=BASIC)
    for sender, headers in foreign_senders(auth_client).items():
        for method, path in STATE_CHANGES:
            for body in ("empty", "text-plain-json"):
                args = request_args(body, {**headers, **BASIC})
                await assert_refused(auth_client, method, path, **args)
        assert await snapshot(auth_client, headers=BASIC) == before, sender


async def test_the_session_cookie_never_authorises_a_foreign_page(auth_client: Client) -> None:
    cookie = {"Cookie": f"{COOKIE_NAME}={await login_cookie(auth_client)}"}
    for headers in foreign_senders(auth_client).values():
        for path in ("/api/system/pause", "/api/history/abc/archive"):
            await assert_refused(auth_client, "POST", path, headers={**headers, **cookie})
    assert (await snapshot(auth_client, headers=BASIC))["paused"] is False
    # From our own pages the same cookie works.
    for own in own_senders(auth_client).values():
        response = await auth_client.post("/api/system/pause", headers={**own, **cookie})
        assert response.status == 200
        await auth_client.post("/api/system/resume", headers={**own, **cookie})


async def test_explicit_credentials_work_from_any_origin(auth_client: Client) -> None:
    """?apikey= is written by a page that knows the secret; Token/X-API-Key need a
    preflight no foreign origin passes, so only scripts send them with a foreign Origin."""
    headers = foreign_senders(auth_client)["cross-site-form"]
    response = await auth_client.post(
        "/api/system/pause", params={"apikey": basic()}, headers=headers
    )
    assert response.status == 200, await response.text()
    assert "Access-Control-Allow-Origin" not in response.headers  # not readable, though
    assert COOKIE_NAME not in response.cookies
    assert (await snapshot(auth_client, headers=BASIC))["paused"] is True
    # A wrong apikey passes the door and meets the credential check.
    wrong = await auth_client.post(
        "/api/system/resume", params={"apikey": basic(password="no")}, headers=headers
    )
    assert wrong.status == 401
    assert (await snapshot(auth_client, headers=BASIC))["paused"] is True


async def test_scripts_with_basic_credentials_keep_working(auth_client: Client) -> None:
    for body in FORM_BODIES:  # curl -d, curl -F, curl -X POST: all fine without an Origin
        for step, paused in (("pause", True), ("resume", False)):
            args = request_args(body, BASIC)
            response = await auth_client.post(f"/api/system/{step}", **args)
            assert response.status == 200, await response.text()
            assert (await snapshot(auth_client, headers=BASIC))["paused"] is paused


# -- the quick-add GET -----------------------------------------------------------------------


async def test_the_bookmarklet_quick_add_works_from_any_site(client: Client) -> None:
    headers = {"Origin": "https://www.youtube.com", "Sec-Fetch-Site": "cross-site"}
    response = await client.get(
        "/api/history/add", params={"url": "ftp://x.example/v"}, headers=headers
    )
    assert response.status == 400  # the door let it through; the URL itself is refused
    assert response.headers["Access-Control-Allow-Origin"] == "https://www.youtube.com"
    body = await response.json()
    assert body["status"] is False and body["message"]
    # Only the quick-add answer is readable from there.
    other = await client.get("/api/history/live", headers=headers)
    assert other.status == 200
    assert "Access-Control-Allow-Origin" not in other.headers


async def test_the_quick_add_tab_works_with_cached_credentials(auth_client: Client) -> None:
    """With auth on, the bookmarklet opens the URL in a tab: a cross-site navigation."""
    headers = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate", **BASIC}
    response = await auth_client.get(
        "/api/history/add/", params={"url": "ftp://x.example/v"}, headers=headers
    )
    assert response.status == 400
    assert (await response.json())["status"] is False
    assert COOKIE_NAME not in response.cookies
    fetched = await auth_client.get(
        "/api/history/add", params={"url": "ftp://x"}, headers={"Origin": EVIL}
    )
    assert fetched.status == 401  # no credentials on a page's fetch: the bookmarklet opens a tab
    assert fetched.headers["Access-Control-Allow-Origin"] == EVIL
