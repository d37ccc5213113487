"""The live connection survives the server being killed and started again."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import add_url, open_app, wait_finished
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


def test_reconnects_after_a_restart(
    page: Page, server: ServerProcess, fixture_site: FixtureSite, console_errors: ConsoleErrors
) -> None:
    open_app(page, server)
    before = add_url(page, fixture_site.url("/watch/gen-5001"))
    wait_finished(page, before)

    # While the server is down (or dies under a request) Chromium itself reports the refused
    # socket and the failed polls; nothing else may show up in the console.
    origin = re.escape(server.base_url.removeprefix("http://"))
    console_errors.allow(rf"WebSocket connection to 'ws://{origin}/ws[^']*' failed")
    console_errors.allow(
        rf"Failed to load resource: net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|EMPTY_RESPONSE) "
        rf"\(http://{origin}/api/"
    )
    server.kill()
    state = page.get_by_test_id("conn-state")
    expect(state).to_have_text(re.compile(r"^(reconnecting|polling)$"))

    server.start()
    expect(state).to_have_text("connected")

    # The state is reloaded, and live updates flow again.
    wait_finished(page, before)
    after = add_url(page, fixture_site.url("/watch/gen-5002"))
    wait_finished(page, after)
