"""Under YTP_BASE_PATH the installable app stays inside it: the worker's scope, the share
target and the proxied thumbnails all live under the base path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import wait_finished
from tests.browser.test_downloads_page import ROWS, check_thumbnail
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

BASE_PATH = "/tube"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The app mounted under YTP_BASE_PATH; `base_url` includes the base path."""
    process = ServerProcess(tmp_path / "server", YTP_MAX_WORKERS="2", YTP_BASE_PATH=BASE_PATH)
    process.base_url += BASE_PATH
    process.start()
    yield process
    process.stop()


def test_share_target_worker_and_thumbnails_under_a_base_path(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/gen-4201")
    page.goto(f"{server.base_url}/?url={quote(url, safe='')}")
    expect(page.get_by_test_id("toast").filter(has_text="Added to the queue")).to_be_visible()
    assert urlsplit(page.url).path == f"{BASE_PATH}/"
    assert urlsplit(page.url).query == ""

    row = page.locator(ROWS).first
    uid = row.get_attribute("data-id")
    assert uid is not None
    wait_finished(page, uid)
    check_thumbnail(page, server, uid)

    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{server.base_url}/"
