"""With authentication on, the browser logs in once and the session cookie does the rest."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, expect

from tests.browser.conftest import ARTIFACTS, ConsoleErrors
from tests.browser.helpers import add_url, wait_finished
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

USER, PASSWORD = "me", "correct horse"


@pytest.fixture
def guarded(tmp_path: Path) -> Iterator[ServerProcess]:
    server = ServerProcess(tmp_path / "s", YTP_AUTH_USERNAME=USER, YTP_AUTH_PASSWORD=PASSWORD)
    server.start()
    yield server
    server.stop()


def test_the_ui_works_with_auth_on(
    browser: Browser,
    guarded: ServerProcess,
    fixture_site: FixtureSite,
    console_errors: ConsoleErrors,
) -> None:
    assert requests.get(guarded.base_url + "/", timeout=10).status_code == 401

    context = browser.new_context(http_credentials={"username": USER, "password": PASSWORD})
    page = context.new_page()
    page.on("console", console_errors.on_console)
    page.on("pageerror", console_errors.on_page_error)
    try:
        page.goto(guarded.base_url + "/")
        # The WebSocket cannot carry the Basic header: it connects with the session cookie.
        expect(page.get_by_test_id("conn-state")).to_have_text("connected")
        session = [c for c in context.cookies() if c["name"] == "tubestash_session"]
        assert session and session[0]["httpOnly"] and session[0]["sameSite"] == "Strict"
        uid = add_url(page, fixture_site.url("/watch/gen-6001"))
        wait_finished(page, uid)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / "test_the_ui_works_with_auth_on.png")
    finally:
        context.close()
    assert console_errors.messages == []
