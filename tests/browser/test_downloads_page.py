"""The Downloads page's quick paths: Enter adds, whole-queue totals, proxied thumbnails, and
the installable app's share target (opening it with a link queues the link)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import history_item, open_app, server_item, wait_finished
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

ROWS = '[data-testid="queue-item"], [data-testid="history-item"]'
THUMB_LOADED = """(row) => {
  const img = row.querySelector('img[data-testid="item-thumb"]')
  return Boolean(img && img.complete && img.naturalWidth > 0)
}"""


def check_thumbnail(page: Page, server: ServerProcess, uid: str) -> None:
    """The row's thumbnail comes through the server's proxy and is drawn."""
    row = history_item(page, uid)
    thumb = row.get_by_test_id("item-thumb")
    proxy = re.escape(f"{server.base_url}/api/thumbnail?url=")
    expect(thumb).to_have_attribute("src", re.compile(proxy + ".+"))
    src = thumb.get_attribute("src") or ""
    [remote] = parse_qs(urlsplit(src).query)["url"]
    assert remote == server_item(server, uid)["extras"]["thumbnail"]
    page.wait_for_function(THUMB_LOADED, arg=row.element_handle())


def test_enter_adds_shift_enter_starts_a_line_and_the_queue_shows_totals(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    box = page.get_by_test_id("add-url")
    slow = fixture_site.url("/watch/gen-4001?rate=30000")  # ~5 s: the totals can be seen
    other = fixture_site.url("/watch/gen-4002")

    box.fill(slow)
    box.press("Shift+Enter")
    box.press_sequentially(other)
    expect(box).to_have_value(f"{slow}\n{other}")
    expect(page.locator(ROWS)).to_have_count(0)

    with page.expect_response(lambda r: r.request.method == "POST" and "/api/history" in r.url):
        box.press("Enter")
    expect(box).to_have_value("")
    rows = page.locator(ROWS)
    expect(rows).to_have_count(2)

    # While the slow one downloads, the queue shows the combined speed, items left and ETA.
    totals = page.get_by_test_id("queue-totals")
    expect(totals.get_by_test_id("total-speed")).to_have_text(re.compile(r"B/s$"))
    expect(totals.get_by_test_id("total-left")).to_have_text(re.compile(r"^[12]$"))
    expect(totals.get_by_test_id("total-eta")).to_have_text(re.compile(r"^\d+:\d\d$"))

    uids = [uid for uid in (row.get_attribute("data-id") for row in rows.all()) if uid]
    assert len(uids) == 2
    for uid in uids:
        wait_finished(page, uid)
        check_thumbnail(page, server, uid)
    expect(page.get_by_test_id("queue-empty")).to_be_visible()
    expect(totals).to_have_count(0)


@pytest.mark.phone
def test_the_share_target_queues_the_shared_link(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    url = fixture_site.url("/watch/gen-4101")
    shared = quote(f"Look at this: {url} !")
    page.goto(f"{server.base_url}/?title=A+clip&text={shared}")
    toast = page.get_by_test_id("toast").filter(has_text="Added to the queue")
    expect(toast).to_have_attribute("data-level", "success")
    # The share's parameters are gone: a reload does not add it twice.
    assert urlsplit(page.url).query == ""

    row = page.locator(ROWS).first
    expect(row).to_have_count(1)
    uid = row.get_attribute("data-id")
    assert uid is not None
    wait_finished(page, uid)
    item = server_item(server, uid)
    assert item["url"] == url
    assert item["preset"] == "default"
    page.reload()
    expect(page.get_by_test_id("conn-state")).to_have_text("connected")
    expect(page.locator(ROWS)).to_have_count(1)


def test_the_app_is_installable(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    href = page.locator('link[rel="manifest"]').get_attribute("href")
    assert href == "./manifest.webmanifest"
    manifest = page.request.get(f"{server.base_url}/manifest.webmanifest")
    assert manifest.headers["content-type"].startswith("application/manifest+json")
    for icon in manifest.json()["icons"]:
        answer = page.request.get(f"{server.base_url}/{icon['src']}")
        assert answer.ok, icon
        assert answer.headers["content-type"] == icon["type"]
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    assert scope == f"{server.base_url}/"
    # With the worker in charge, the page and the API still come from the server; it keeps
    # the page and the built assets, never an API answer.
    page.reload()
    expect(page.get_by_test_id("conn-state")).to_have_text("connected")
    kept: list[str] = page.evaluate(
        "caches.keys().then((names) => Promise.all(names.map((n) => caches.open(n))))"
        ".then((all) => Promise.all(all.map((c) => c.keys())))"
        ".then((lists) => lists.flat().map((r) => r.url))"
    )
    assert f"{server.base_url}/" in kept
    assert any("/assets/" in url for url in kept)
    assert not [url for url in kept if "/api/" in url or "/ws" in url]
