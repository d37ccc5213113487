"""Access control over real HTTP and WebSocket: every door, every credential form."""

from __future__ import annotations

import stat
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
import pytest

from app.core.auth import (
    COOKIE_NAME,
    Credentials,
    FailureThrottle,
    SessionSigner,
    decode_basic,
)
from app.settings import Settings
from tests.realtime.conftest import PASSWORD, USERNAME, Client, basic

UNAUTHORIZED = {"error": "Authorization Required."}


async def assert_401(response: aiohttp.ClientResponse) -> None:
    assert response.status == 401, await response.text()
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Tubestash"'
    assert await response.json() == UNAUTHORIZED


def basic_header(token: str) -> dict[str, str]:
    return {"Authorization": f"Basic {token}"}


async def login(client: Client) -> str:
    """A Basic login; returns the session cookie it earned."""
    response = await client.get("/api/ping", headers=basic_header(basic()))
    assert response.status == 200
    return response.cookies[COOKIE_NAME].value


def cookie_header(value: str) -> dict[str, str]:
    return {"Cookie": f"{COOKIE_NAME}={value}"}


# -- without credentials configured --------------------------------------------------------


async def test_without_auth_everything_is_open(client: Client) -> None:
    assert (await client.get("/api/ping")).status == 200
    ws = await client.ws_connect("/ws")
    await ws.close()


# -- HTTP -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/ping", "/api/ping/", "/api/history/live", "/", "/ws"])
async def test_every_door_needs_credentials(auth_client: Client, path: str) -> None:
    await assert_401(await auth_client.get(path))


@pytest.mark.parametrize(
    "token",
    [
        basic(),
        basic(padded=False),
        basic(urlsafe=True),
        basic(urlsafe=True, padded=False),
    ],
    ids=["standard", "standard-unpadded", "urlsafe", "urlsafe-unpadded"],
)
async def test_basic_header_in_every_base64_form(auth_client: Client, token: str) -> None:
    assert "=" in basic() and "+" in basic() and "-" in basic(urlsafe=True)  # the forms differ
    response = await auth_client.get("/api/ping", headers=basic_header(token))
    assert response.status == 200
    assert (await auth_client.get("/api/ping/", headers=basic_header(token))).status == 200


@pytest.mark.parametrize(
    "token",
    [basic(), basic(padded=False), basic(urlsafe=True), basic(urlsafe=True, padded=False)],
    ids=["standard", "standard-unpadded", "urlsafe", "urlsafe-unpadded"],
)
async def test_apikey_in_every_base64_form(auth_client: Client, token: str) -> None:
    response = await auth_client.get("/api/ping", params={"apikey": token})
    assert response.status == 200
    assert COOKIE_NAME not in response.cookies  # only a Basic login earns a session


async def test_apikey_with_an_unescaped_plus(auth_client: Client) -> None:
    # Standard base64 pasted raw into a URL: the query parser reads "+" as a space.
    response = await auth_client.get(f"/api/ping?apikey={basic()}")
    assert response.status == 200


@pytest.mark.parametrize(
    "token",
    [
        basic(password="wrong"),
        basic(username="root"),
        "!!!not base64!!!",
        "Zm9v",  # "foo": no colon
        "/w==",  # not UTF-8
        "",
        "A" * 6000,  # longer than any real credential
    ],
)
async def test_bad_credentials_are_401_never_500(auth_client: Client, token: str) -> None:
    await assert_401(await auth_client.get("/api/ping", headers=basic_header(token)))
    await assert_401(await auth_client.get("/api/ping", params={"apikey": token}))


async def test_the_ui_needs_credentials_and_a_login_sets_the_cookie(auth_client: Client) -> None:
    await assert_401(await auth_client.get("/"))
    response = await auth_client.get("/", headers=basic_header(basic()))
    assert response.status == 200
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert morsel["path"] == "/"
    assert int(morsel["max-age"]) == 30 * 24 * 3600
    assert USERNAME not in morsel.value and PASSWORD not in morsel.value


async def test_the_session_cookie_opens_http_and_ws(auth_client: Client) -> None:
    cookie = await login(auth_client)
    auth_client.session.cookie_jar.clear()
    response = await auth_client.get("/api/history/live", headers=cookie_header(cookie))
    assert response.status == 200
    ws = await auth_client.ws_connect("/ws", headers=cookie_header(cookie))
    try:
        frame = await ws.receive_json(timeout=30)
        assert frame["event"] == "connected"
    finally:
        await ws.close()


async def test_a_forged_cookie_is_refused(auth_client: Client) -> None:
    cookie = await login(auth_client)
    auth_client.session.cookie_jar.clear()
    expiry, signature = cookie.split(".")
    for forged in (f"{int(expiry) + 1}.{signature}", f"{expiry}.{signature[:-2]}AA", "x", ""):
        await assert_401(await auth_client.get("/api/ping", headers=cookie_header(forged)))


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-site", "Origin": "http://other.localhost"},
    ],
)
async def test_the_cookie_never_authorises_a_cross_origin_request(
    auth_client: Client, headers: dict[str, str]
) -> None:
    cookie = await login(auth_client)
    auth_client.session.cookie_jar.clear()
    await assert_401(
        await auth_client.get("/api/ping", headers={**cookie_header(cookie), **headers})
    )
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await auth_client.ws_connect("/ws", headers={**cookie_header(cookie), **headers})
    assert refused.value.status == 403  # a foreign page may not open a socket at all


async def test_the_cookie_works_from_the_servers_own_origin(auth_client: Client) -> None:
    cookie = await login(auth_client)
    auth_client.session.cookie_jar.clear()
    own = f"http://{auth_client.host}:{auth_client.port}"
    for headers in ({"Origin": own}, {"Sec-Fetch-Site": "same-origin", "Origin": own}):
        response = await auth_client.post(
            "/api/system/pause", headers={**cookie_header(cookie), **headers}
        )
        assert response.status == 200, await response.text()
        await auth_client.post("/api/system/resume", headers={**cookie_header(cookie), **headers})


async def test_the_session_key_is_kept_private_and_survives_a_restart(
    auth_settings: Settings, make_client: Callable[[Settings], Awaitable[Client]]
) -> None:
    first = await make_client(auth_settings)
    cookie = await login(first)
    key = auth_settings.config_path / "session.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    content = key.read_text()
    await first.close()
    second = await make_client(auth_settings)
    response = await second.get("/api/ping", headers=cookie_header(cookie))
    assert response.status == 200
    assert key.read_text() == content


async def test_changing_the_password_ends_sessions(
    auth_settings: Settings, make_client: Callable[[Settings], Awaitable[Client]]
) -> None:
    first = await make_client(auth_settings)
    cookie = await login(first)
    await first.close()
    changed = auth_settings.model_copy(update={"auth_password": "another one"})
    second = await make_client(changed)
    await assert_401(await second.get("/api/ping", headers=cookie_header(cookie)))


# -- WebSocket handshakes --------------------------------------------------------------------


async def test_ws_handshake_without_credentials_is_401(auth_client: Client) -> None:
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await auth_client.ws_connect("/ws")
    assert refused.value.status == 401


@pytest.mark.parametrize(
    "how",
    [
        {"headers": basic_header(basic())},
        {"params": {"apikey": basic(urlsafe=True, padded=False)}},
    ],
    ids=["basic", "apikey"],
)
async def test_ws_handshake_with_credentials(auth_client: Client, how: dict[str, Any]) -> None:
    ws = await auth_client.ws_connect("/ws", **how)
    try:
        frame = await ws.receive_json(timeout=30)
        assert frame["event"] == "connected"
    finally:
        await ws.close()


# -- CORS ---------------------------------------------------------------------------------------


async def test_a_preflight_from_an_extension_needs_no_credentials(auth_client: Client) -> None:
    for path in ("/api/history", "/api/history/", "/ws", "/no/such/path"):
        response = await auth_client.options(
            path,
            headers={
                "Origin": "chrome-extension://x",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, mode",
            },
        )
        assert response.status == 204, path
        assert response.headers["Access-Control-Allow-Origin"] == "chrome-extension://x"
        assert response.headers["Access-Control-Allow-Headers"] == (
            "authorization, content-type, mode"
        )
        assert "POST" in response.headers["Access-Control-Allow-Methods"]
        assert int(response.headers["Access-Control-Max-Age"]) > 0
        assert "Origin" in response.headers["Vary"]


async def test_explicit_credentials_work_from_any_origin(auth_client: Client) -> None:
    origin = "chrome-extension://abcdef"
    response = await auth_client.post(
        "/api/history/",
        json={"url": "ftp://refused.example/x"},
        headers={**basic_header(basic()), "Origin": origin, "Sec-Fetch-Site": "cross-site"},
    )
    assert response.status == 400  # authorised; the body itself is refused
    assert response.headers["Access-Control-Allow-Origin"] == origin
    assert "Origin" in response.headers["Vary"]
    assert "Access-Control-Allow-Credentials" not in response.headers
    assert COOKIE_NAME not in response.cookies  # no session for another origin


async def test_a_401_is_readable_by_an_allowed_origin_only(auth_client: Client) -> None:
    response = await auth_client.get("/api/ping", headers={"Origin": "moz-extension://abc"})
    await assert_401(response)
    assert response.headers["Access-Control-Allow-Origin"] == "moz-extension://abc"
    response = await auth_client.get("/api/ping", headers={"Origin": "https://page.example"})
    await assert_401(response)
    assert "Access-Control-Allow-Origin" not in response.headers


# -- throttling ------------------------------------------------------------------------------------


async def test_repeated_failures_are_answered_429_for_a_while(auth_client: Client) -> None:
    wrong = basic_header(basic(password="guess"))
    for _ in range(5):
        await assert_401(await auth_client.get("/api/ping", headers=wrong))
    for headers in (wrong, basic_header(basic())):  # even the right password must wait
        response = await auth_client.get("/api/ping", headers=headers)
        assert response.status == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 60
        assert "try again" in (await response.json())["error"]
    # Without credentials the answer stays the login prompt, so a browser can still ask.
    await assert_401(await auth_client.get("/api/ping"))


async def test_a_valid_session_is_not_locked_out_by_someone_elses_guessing(
    auth_client: Client,
) -> None:
    cookie = await login(auth_client)
    auth_client.session.cookie_jar.clear()
    for _ in range(6):
        await auth_client.get("/api/ping", params={"apikey": "bad"})
    assert (await auth_client.get("/api/ping", headers=cookie_header(cookie))).status == 200


# -- units ---------------------------------------------------------------------------------------


def test_decode_basic_accepts_every_form_and_rejects_garbage() -> None:
    for token in (basic(), basic(padded=False), basic(urlsafe=True)):
        assert decode_basic(token) == (USERNAME, PASSWORD)
    for garbage in ("", "====", "***", "Zm9v", "/w==", "YQ=Y"):
        assert decode_basic(garbage) is None


def test_credentials_match_exactly() -> None:
    credentials = Credentials("admin", "pw")
    assert credentials.match("admin", "pw")
    assert not credentials.match("admin", "pw ")
    assert not credentials.match("Admin", "pw")


def test_session_cookies_expire() -> None:
    signer = SessionSigner(b"k" * 32, Credentials("a", "b"), lifetime=100)
    value = signer.issue(now=1000.0)
    assert signer.expiry(value, now=1050.0) == 1100
    assert signer.expiry(value, now=1100.0) is None
    other = SessionSigner(b"j" * 32, Credentials("a", "b"), lifetime=100)
    assert other.expiry(value, now=1050.0) is None


def test_the_failure_throttle_forgets_and_stays_bounded() -> None:
    throttle = FailureThrottle(limit=2, window=10.0, capacity=3)
    throttle.failed("a", 0.0)
    assert throttle.retry_after("a", 1.0) is None
    throttle.failed("a", 1.0)
    assert throttle.retry_after("a", 2.0) == pytest.approx(8.0)
    assert throttle.retry_after("a", 10.5) is None  # the first failure left the window
    for address in ("b", "c", "d", "e"):
        throttle.failed(address, 11.0)
        throttle.failed(address, 11.0)
    assert throttle.retry_after("b", 12.0) is None  # forgotten: only 3 addresses are kept
    assert throttle.retry_after("e", 12.0) is not None


async def test_under_a_base_path_the_cookie_covers_the_base_path(
    auth_settings: Settings, make_client: Callable[[Settings], Awaitable[Client]]
) -> None:
    client = await make_client(auth_settings.model_copy(update={"base_path": "/tube"}))
    response = await client.get("/tube/api/ping", headers=basic_header(basic()))
    assert response.status == 200
    morsel = response.cookies[COOKIE_NAME]
    assert morsel["path"] == "/tube"
    client.session.cookie_jar.clear()
    await assert_401(await client.get("/tube/"))
    ws = await client.ws_connect("/tube/ws", headers=cookie_header(morsel.value))
    try:
        assert (await ws.receive_json(timeout=30))["event"] == "connected"
    finally:
        await ws.close()
