"""The Library page: a finished download is found by a word of its description, opened
in the player, and the address keeps the open video."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import add_url, open_app, wait_finished
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


def test_search_then_open_a_video(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    uid = add_url(page, fixture_site.url("/watch/v-rich"))
    wait_finished(page, uid)

    page.get_by_test_id("nav-library").click()
    expect(page.get_by_test_id("library-item")).to_have_count(1)
    page.get_by_test_id("library-search").fill("media libr")  # words of the description
    found = page.locator('[data-testid="library-item"][data-id="v-rich"]')
    expect(found).to_contain_text("Rich fixture video")
    expect(found).to_contain_text("Everything a media library keeps")  # the snippet

    page.get_by_test_id("library-search").fill("medai")  # a typo
    expect(page.get_by_test_id("library-empty")).to_be_visible()
    page.get_by_test_id("library-suggestion").first.click()
    expect(page.get_by_test_id("library-search")).to_have_value("media")
    expect(found).to_be_visible()

    found.get_by_test_id("library-title").click()
    player = page.get_by_test_id("library-player")
    expect(player).to_contain_text("Rich Channel")
    expect(player.locator("video")).to_have_attribute("src", re.compile(r"api/download/Rich"))
    expect(page).to_have_url(re.compile(r"#/library\?video=v-rich$"))
    page.reload()
    expect(page.get_by_test_id("library-player")).to_contain_text("Rich fixture video")
    page.get_by_test_id("library-close").click()
    expect(page.get_by_test_id("library-player")).to_have_count(0)
