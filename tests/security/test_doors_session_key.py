"""A session key that cannot be used is replaced at start-up: sessions end, nothing else."""

from __future__ import annotations

import logging
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
import requests

from app.core.auth import COOKIE_NAME, KEY_FILE
from tests.conftest import Client, MakeClient, make_settings
from tests.security.doors import PASSWORD, USERNAME, basic
from tests.server_process import ServerProcess

BASIC = {"Authorization": f"Basic {basic()}"}


def write_text(text: str) -> Callable[[Path], object]:
    return lambda path: path.write_text(text)


def write_bytes(data: bytes) -> Callable[[Path], object]:
    return lambda path: path.write_bytes(data)


BAD_KEYS: dict[str, Callable[[Path], object]] = {
    "garbage": write_text("not a key at all\n"),
    "short": write_text("ab" * 8),
    "empty": write_text(""),
    "binary": write_bytes(b"\xff\xfe\x00\x81" * 16),
    "odd-hex": write_text("a" * 63),
    "a-folder": lambda path: path.mkdir(),
}


async def login(client: Client) -> None:
    response = await client.get("/api/ping", headers=BASIC)
    assert response.status == 200, await response.text()
    cookie = {"Cookie": f"{COOKIE_NAME}={response.cookies[COOKIE_NAME].value}"}
    client.session.cookie_jar.clear()
    assert (await client.get("/api/history/live", headers=cookie)).status == 200


def key_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if "session key" in r.getMessage()]


@pytest.mark.parametrize("damage", BAD_KEYS.values(), ids=BAD_KEYS.keys())
async def test_a_bad_key_is_replaced_with_one_warning(
    tmp_path: Path,
    make_client: MakeClient,
    caplog: pytest.LogCaptureFixture,
    damage: Callable[[Path], object],
) -> None:
    settings = make_settings(tmp_path, auth_username=USERNAME, auth_password=PASSWORD)
    key = settings.config_path / KEY_FILE
    key.parent.mkdir(parents=True)
    damage(key)
    with caplog.at_level(logging.WARNING, logger="app.core.auth"):
        client = await make_client(settings)
    [warning] = key_warnings(caplog)
    assert "made a new one" in warning
    assert len(bytes.fromhex(key.read_text())) == 32
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    await login(client)
    assert key_warnings(caplog) == [warning]  # once, at start-up; never per request


async def test_a_key_that_cannot_be_replaced_lasts_until_the_next_start(
    tmp_path: Path, make_client: MakeClient, caplog: pytest.LogCaptureFixture
) -> None:
    settings = make_settings(tmp_path, auth_username=USERNAME, auth_password=PASSWORD)
    key = settings.config_path / KEY_FILE
    (key / "something").mkdir(parents=True)  # a folder with content is not removed
    with caplog.at_level(logging.WARNING, logger="app.core.auth"):
        client = await make_client(settings)
    [warning] = key_warnings(caplog)
    assert "until the next start" in warning
    await login(client)
    assert (key / "something").is_dir()


async def test_a_loose_key_is_made_private(tmp_path: Path, make_client: MakeClient) -> None:
    settings = make_settings(tmp_path, auth_username=USERNAME, auth_password=PASSWORD)
    key = settings.config_path / KEY_FILE
    key.parent.mkdir(parents=True)
    key.write_text("ab" * 32)
    key.chmod(0o644)
    client = await make_client(settings)
    await login(client)
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert key.read_text() == "ab" * 32  # a good key is kept


@pytest.mark.slow
def test_main_starts_with_a_corrupt_key(tmp_path: Path) -> None:
    data = tmp_path / "s"
    (data / "config").mkdir(parents=True)
    (data / "config" / KEY_FILE).write_text("corrupt")
    with ServerProcess(data, YTP_AUTH_USERNAME=USERNAME, YTP_AUTH_PASSWORD=PASSWORD) as server:
        response = requests.get(f"{server.base_url}/api/ping", headers=BASIC, timeout=10)
        assert response.status_code == 200
        assert COOKIE_NAME in response.cookies
    log = (data / "server.log").read_text()
    assert log.count("session key") == 1, log
