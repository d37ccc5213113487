"""Small steps shared by the browser tests."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page, Response, expect

from tests.server_process import ServerProcess

TIMEOUT_MS = 30_000
expect.set_options(timeout=TIMEOUT_MS)


def open_app(page: Page, server: ServerProcess) -> None:
    """Loads the UI and waits until the live connection is up."""
    page.goto(server.base_url + "/")
    expect(page.get_by_test_id("conn-state")).to_have_text("connected")


def _is_add(response: Response) -> bool:
    return response.request.method == "POST" and response.url.rstrip("/").endswith("/api/history")


def add_url(page: Page, url: str, preset: str | None = None) -> str:
    """Adds `url` through the form and returns the new item's `_id`.

    The id comes from the server's answer, so a download that finishes before the queue
    could be looked at is no race.
    """
    page.get_by_test_id("add-url").fill(url)
    if preset is not None:
        page.get_by_test_id("add-preset").select_option(preset)
    with page.expect_response(_is_add) as answer:
        page.get_by_test_id("add-submit").click()
    [result] = answer.value.json()
    assert result["status"] == "queued", result
    expect(page.get_by_test_id("add-url")).to_have_value("")
    uid: str = result["item"]["_id"]
    return uid


def queue_item(page: Page, uid: str) -> Locator:
    return page.locator(f'[data-testid="queue-item"][data-id="{uid}"]')


def history_item(page: Page, uid: str) -> Locator:
    return page.locator(f'[data-testid="history-item"][data-id="{uid}"]')


def wait_finished(page: Page, uid: str) -> Locator:
    """Waits until the item shows in the history as finished and no longer in the queue."""
    done = history_item(page, uid)
    expect(done).to_have_attribute("data-status", "finished")
    expect(queue_item(page, uid)).to_have_count(0)
    return done


def server_item(server: ServerProcess, uid: str) -> dict[str, Any]:
    item: dict[str, Any] = server.get(f"/api/history/{uid}")
    return item
