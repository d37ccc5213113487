"""Failed logins are throttled per user name and client address, never per address alone.

Behind a reverse proxy every user shares one address: a stranger's guesses under another
name must not lock the real user out, while a user's own bad passwords still are throttled.
"""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest

from app.core.auth import FAILURE_LIMIT, NAME_FAILURE_LIMIT, FailureThrottle, LoginThrottle
from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import PASSWORD, USERNAME, basic


def auth_header(username: str = USERNAME, password: str = PASSWORD) -> dict[str, str]:
    return {"Authorization": f"Basic {basic(username, password)}"}


def via(client_address: str) -> dict[str, str]:
    """What a proxy adds: the client may write its own part first; the proxy appends."""
    return {"X-Forwarded-For": f"10.9.9.9, {client_address}"}


async def ping(client: Client, headers: dict[str, str]) -> int:
    return (await client.get("/api/ping", headers=headers)).status


@pytest.fixture
async def guarded(tmp_path: Path, make_client: MakeClient) -> Client:
    return await make_client(
        make_settings(tmp_path, auth_username=USERNAME, auth_password=PASSWORD)
    )


@pytest.fixture
async def proxied(tmp_path: Path, make_client: MakeClient) -> Client:
    """The test client's loopback address is a trusted proxy."""
    settings = make_settings(
        tmp_path,
        auth_username=USERNAME,
        auth_password=PASSWORD,
        trusted_proxies=(ip_network("127.0.0.0/8"),),
    )
    return await make_client(settings)


async def test_guesses_under_other_names_never_lock_out_the_user(guarded: Client) -> None:
    for name in ("root", "Admin", "admin ", "", "x" * 3000):
        for _ in range(FAILURE_LIMIT + 2):
            assert await ping(guarded, auth_header(name, "guess")) in (401, 429)
    for _ in range(FAILURE_LIMIT + 2):  # undecodable: counted under no name
        assert await ping(guarded, {"Authorization": "Basic !!!garbage"}) in (401, 429)
    assert await ping(guarded, auth_header()) == 200


async def test_repeated_bad_passwords_for_a_user_are_throttled(guarded: Client) -> None:
    for _ in range(FAILURE_LIMIT):
        assert await ping(guarded, auth_header(password="typo")) == 401
    for headers in (auth_header(password="typo"), auth_header()):  # the right one waits too
        response = await guarded.get("/api/ping", headers=headers)
        assert response.status == 429
        assert 1 <= int(response.headers["Retry-After"]) <= 60
    apikey = await guarded.get("/api/ping", params={"apikey": basic()})
    assert apikey.status == 429  # the same credential in another form


async def test_forwarded_for_is_ignored_from_untrusted_peers(guarded: Client) -> None:
    for n in range(FAILURE_LIMIT):
        headers = {**auth_header(password="typo"), **via(f"203.0.113.{n}")}
        assert await ping(guarded, headers) == 401
    assert await ping(guarded, {**auth_header(), **via("198.51.100.7")}) == 429


async def test_behind_a_trusted_proxy_each_client_is_throttled_alone(proxied: Client) -> None:
    for n in range(FAILURE_LIMIT):
        # The client's own part of the header changes; the proxy's part does not.
        headers = {**auth_header(password="typo"), "X-Forwarded-For": f"1.2.3.{n}, 203.0.113.5"}
        assert await ping(proxied, headers) == 401
    assert await ping(proxied, {**auth_header(), **via("203.0.113.5")}) == 429
    assert await ping(proxied, {**auth_header(), **via("198.51.100.7")}) == 200
    assert await ping(proxied, {**auth_header(), **via("2001:db8::1")}) == 200


async def test_guessing_from_many_addresses_is_throttled_too(proxied: Client) -> None:
    for n in range(NAME_FAILURE_LIMIT):
        headers = {**auth_header(password="guess"), **via(f"203.0.113.{n}")}
        assert await ping(proxied, headers) == 401
    assert await ping(proxied, {**auth_header(), **via("198.51.100.7")}) == 429
    assert await ping(proxied, {**auth_header("other", "x"), **via("198.51.100.7")}) == 401


# -- units: time passes only on the throttle's own clock ----------------------------------------


def test_a_lock_lifts_when_the_window_passes() -> None:
    throttle = LoginThrottle()
    for second in range(FAILURE_LIMIT):
        throttle.failed("admin", "a", float(second))
    assert throttle.retry_after("admin", "a", 10.0) == pytest.approx(50.0)
    assert throttle.retry_after("admin", "b", 10.0) is None  # another client
    assert throttle.retry_after("root", "a", 10.0) is None  # another name
    assert throttle.retry_after("admin", "a", 60.5) is None  # the first failure has aged out


def test_a_success_clears_its_own_address_only() -> None:
    throttle = LoginThrottle()
    for n in range(NAME_FAILURE_LIMIT - 1):
        throttle.failed("admin", f"x{n}", 0.0)
    throttle.failed("admin", "me", 0.0)
    throttle.succeeded("admin", "me")
    # The guesses from elsewhere still count: the user's own logins do not reset them.
    assert throttle.retry_after("admin", "me", 1.0) is not None
    assert throttle.retry_after("admin", "me", 61.0) is None


def test_memory_stays_bounded() -> None:
    throttle = LoginThrottle(capacity=100)
    for n in range(10_000):
        throttle.failed(f"name{n}", f"addr{n}", 0.0)
    assert throttle.size() <= 200
    plain = FailureThrottle(limit=2, window=10.0, capacity=3)
    for key in ("a", "b", "c", "d"):
        plain.failed(key, 0.0)
        plain.failed(key, 0.0)
    assert plain.retry_after("a", 1.0) is None  # forgotten first
    assert plain.retry_after("d", 1.0) is not None
