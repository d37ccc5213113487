"""The first admin key: made and printed once when no key exists, or set by YTP_ADMIN_KEY."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import requests

from tests.server_process import ServerProcess

pytestmark = pytest.mark.slow

FIRST_KEY = re.compile(r"made the admin key 'admin': (ytp_[A-Za-z0-9_-]{43})")


def logged_key(log: Path, timeout: float = 30.0) -> str:
    # Another process's log: nothing to await, so it is read until the line is there.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = FIRST_KEY.search(log.read_text())
        if found:
            return found.group(1)
        time.sleep(0.05)
    raise AssertionError(f"no admin key in the log: {log.read_text()[-2000:]}")


def test_the_first_start_prints_an_admin_key_once(tmp_path: Path) -> None:
    with ServerProcess(tmp_path) as server:
        key = logged_key(tmp_path / "server.log")
        answer = requests.get(f"{server.base_url}/get_keys", headers={"X-API-Key": key}, timeout=30)
        assert answer.status_code == 200 and list(answer.json()) == ["admin"]
    with ServerProcess(tmp_path) as server:
        answer = requests.get(f"{server.base_url}/get_keys", headers={"X-API-Key": key}, timeout=30)
        assert answer.status_code == 200
    assert len(FIRST_KEY.findall((tmp_path / "server.log").read_text())) == 1


def test_ytp_admin_key_sets_it_and_replaces_the_old_one(tmp_path: Path) -> None:
    with ServerProcess(tmp_path) as server:
        old = logged_key(tmp_path / "server.log")
    chosen = "chosen-by-the-operator-0123456789"
    with ServerProcess(tmp_path, YTP_ADMIN_KEY=chosen) as server:
        url = f"{server.base_url}/get_keys"
        assert requests.get(url, headers={"X-API-Key": chosen}, timeout=30).status_code == 200
        assert requests.get(url, headers={"X-API-Key": old}, timeout=30).status_code == 401
