"""Adding, watching, pausing, cancelling and deleting downloads in the UI."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import (
    add_url,
    history_item,
    open_app,
    queue_item,
    server_item,
    wait_finished,
)
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

# Resolves once the (only) progress bar has been seen to grow.
PROGRESS_GREW = """() => {
  const bar = document.querySelector('[data-testid="item-progress"][aria-valuenow]')
  if (!bar) return false
  const value = Number(bar.getAttribute('aria-valuenow'))
  if (window.__firstProgress === undefined) window.__firstProgress = value
  return value > window.__firstProgress
}"""


@pytest.mark.phone
def test_add_progress_then_history(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    url = fixture_site.url("/watch/gen-1001?rate=30000")  # ~160 KB at 30 KB/s: ~5 s

    uid = add_url(page, url)
    expect(queue_item(page, uid)).to_be_visible()
    page.wait_for_function(PROGRESS_GREW, polling="raf")

    done = wait_finished(page, uid)
    expect(done.get_by_test_id("history-download")).to_be_visible()
    expect(page.get_by_test_id("count-finished")).to_have_text("1")
    assert server_item(server, uid)["status"] == "finished"


def test_pause_resume_queue_and_item(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    toggle = page.get_by_test_id("pause-toggle")

    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_test_id("paused-state")).to_be_visible()
    assert server.get("/api/system/configuration")["paused"] is True

    # While the queue is paused an added item waits, and can be paused by itself.
    uid = add_url(page, fixture_site.url("/watch/gen-2001"))
    item = queue_item(page, uid)
    item.get_by_test_id("item-pause").click()
    expect(item.get_by_test_id("item-start")).to_be_visible()
    expect(item.get_by_test_id("item-pause")).to_have_count(0)
    assert server_item(server, uid)["auto_start"] is False

    # Resuming the queue leaves the paused item alone...
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.get_by_test_id("paused-state")).to_have_count(0)
    assert server.get("/api/system/configuration")["paused"] is False
    expect(item.get_by_test_id("item-start")).to_be_visible()
    assert server_item(server, uid)["auto_start"] is False

    # ...until it is started.
    item.get_by_test_id("item-start").click()
    wait_finished(page, uid)


def test_cancel_running_then_delete_from_history(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    uid = add_url(page, fixture_site.url("/watch/gen-3001?rate=8000"))  # ~20 s
    item = queue_item(page, uid)
    expect(item).to_have_attribute("data-status", "downloading")

    item.get_by_test_id("item-cancel").click()
    cancelled = history_item(page, uid)
    expect(cancelled).to_have_attribute("data-status", "cancelled")
    expect(item).to_have_count(0)
    assert server_item(server, uid)["status"] == "cancelled"

    cancelled.get_by_test_id("history-delete").click()
    expect(cancelled).to_have_count(0)
    expect(page.get_by_test_id("history-empty")).to_be_visible()
    response = page.request.get(f"{server.base_url}/api/history/{uid}")
    assert response.status == 404


def test_move_to_top_and_start_now_past_the_pause(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    open_app(page, server)
    page.get_by_test_id("pause-toggle").click()
    expect(page.get_by_test_id("paused-state")).to_be_visible()
    uids = [add_url(page, fixture_site.url(f"/watch/gen-300{n}")) for n in (1, 2, 3)]
    rows = page.get_by_test_id("queue-item")
    expect(rows).to_have_count(3)

    queue_item(page, uids[2]).get_by_test_id("item-top").click()
    expect(rows.first).to_have_attribute("data-id", uids[2])
    queue_item(page, uids[2]).get_by_test_id("item-bottom").click()
    expect(rows.last).to_have_attribute("data-id", uids[2])
    assert list(server.get("/api/history/live")["queue"]) == [uids[0], uids[1], uids[2]]

    # The queue is paused; Now starts this one anyway.
    queue_item(page, uids[1]).get_by_test_id("item-start-now").click()
    wait_finished(page, uids[1])
    assert server_item(server, uids[0])["status"] == "pending"
