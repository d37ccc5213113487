"""Pages have addresses: deep links and reloads open the right page, under a base path too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import open_app
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

BASE_PATH = "/tubestash"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The app mounted under YTP_BASE_PATH; `base_url` includes the base path."""
    process = ServerProcess(tmp_path / "server", YTP_MAX_WORKERS="2", YTP_BASE_PATH=BASE_PATH)
    process.base_url += BASE_PATH
    process.start()
    yield process
    process.stop()


def expect_page(page: Page, name: str, marker: str) -> None:
    expect(page.get_by_test_id(f"nav-{name}")).to_have_attribute("aria-current", "page")
    expect(page.get_by_test_id(marker)).to_be_visible()


def test_deep_links_survive_a_reload_under_a_base_path(page: Page, server: ServerProcess) -> None:
    assert server.base_url.endswith(BASE_PATH)
    page.goto(server.base_url + "/#/presets")
    expect(page.get_by_test_id("conn-state")).to_have_text("connected")
    expect_page(page, "presets", "preset-new")

    page.reload()
    expect_page(page, "presets", "preset-new")
    expect(page.get_by_test_id("conn-state")).to_have_text("connected")

    page.get_by_test_id("nav-help").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(BASE_PATH)}/#/help$"))
    expect_page(page, "help", "bookmarklet")
    # The bookmarklet points at the app's own address, base path included.
    href = page.get_by_test_id("bookmarklet").get_attribute("href") or ""
    assert f"{server.base_url}/api/history/add?url=" in href

    page.go_back()
    expect_page(page, "presets", "preset-new")

    page.goto(server.base_url + "/#/no-such-page")
    expect_page(page, "downloads", "add-url")


def test_the_first_page_at_the_bare_address(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    expect_page(page, "downloads", "add-url")
    # The router writes the empty route into the hash: the address stays the app's own.
    expect(page).to_have_url(re.compile(rf"^{re.escape(server.base_url)}/(#/)?$"))
