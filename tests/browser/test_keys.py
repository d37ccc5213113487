"""The API keys page: a key made in the UI is shown once, works on the API, and is revoked."""

from __future__ import annotations

import re

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.helpers import open_app
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


def test_a_key_made_in_the_ui_works_until_revoked(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    page.get_by_test_id("nav-keys").click()
    page.get_by_test_id("key-name").fill("phone")
    page.get_by_test_id("key-create").click()
    secret = page.get_by_test_id("key-secret")
    expect(secret).to_have_value(re.compile(r"^ytp_[A-Za-z0-9_-]{43}$"))
    key = secret.input_value()
    headers = {"X-API-Key": key}
    assert requests.get(f"{server.base_url}/api/history", headers=headers, timeout=30).ok
    refused = requests.get(f"{server.base_url}/api/keys", headers=headers, timeout=30)
    assert refused.status_code == 403  # a downloader
    page.get_by_test_id("key-created-close").click()
    expect(page.get_by_test_id("key-secret")).to_have_count(0)
    phone = page.get_by_test_id("key-item").filter(has_text="phone")
    expect(phone).to_contain_text(key[:12])
    phone.get_by_test_id("key-revoke").click()
    phone.get_by_test_id("key-revoke-confirm").click()
    expect(page.get_by_test_id("key-item").filter(has_text="phone")).to_have_count(0)
    gone = requests.get(f"{server.base_url}/api/history", headers=headers, timeout=30)
    assert gone.status_code == 401
