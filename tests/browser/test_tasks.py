"""The tasks page: create a task over the fixture site's growing playlist with the cron
helper and the inspect preview, run it now and see its result in the list."""

from __future__ import annotations

import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import open_app
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


def grow(site: FixtureSite, n: int) -> None:
    request = urllib.request.Request(site.url(f"/control/grow?n={n}"), method="POST")
    with urllib.request.urlopen(request, timeout=10) as answer:
        assert answer.status == 200


def tasks(server: ServerProcess) -> list[dict[str, Any]]:
    answer = server.get("/api/tasks")
    items: list[dict[str, Any]] = answer["items"] if isinstance(answer, dict) else answer
    return items


def test_create_a_task_run_it_now_and_see_the_result(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    grow(fixture_site, 3)
    open_app(page, server)
    page.get_by_test_id("nav-tasks").click()
    page.get_by_test_id("task-new").click()
    page.get_by_test_id("task-name").fill("Growing")
    page.get_by_test_id("task-url-input").fill(fixture_site.url("/playlist/pl-grow"))

    # The cron helper: three runs for a good timer, a reason for a bad one.
    page.get_by_test_id("task-timer").fill("0 61 * * *")
    expect(page.get_by_test_id("task-timer-error")).to_contain_text("hour: 61 is out of 0-23")
    page.get_by_test_id("task-timer").fill("15 3 * * *")
    expect(page.get_by_test_id("task-timer-run")).to_have_count(3)
    first_run = page.get_by_test_id("task-timer-run").first.get_attribute("data-time")

    # The inspect preview lists the playlist without queueing anything.
    page.get_by_test_id("task-inspect").click()
    expect(page.get_by_test_id("task-inspect-result")).to_have_attribute(
        "data-handler", "GenericTaskHandler"
    )
    expect(page.get_by_test_id("task-inspect-item")).to_have_count(3)
    assert server.get("/api/history/live")["queue"] == {}

    page.get_by_test_id("task-autostart").uncheck()
    page.get_by_test_id("task-save").click()
    expect(page.get_by_test_id("task-form")).to_have_count(0)
    entry = page.get_by_test_id("task-item").filter(has_text="Growing")
    expect(entry).to_have_count(1)
    expect(entry.get_by_test_id("task-last-run")).to_have_attribute("data-status", "never")

    [saved] = tasks(server)
    assert (saved["timer"], saved["auto_start"]) == ("15 3 * * *", False)
    # The helper's first run is the server's next run (croniter, same machine and zone).
    assert first_run is not None
    next_run = entry.get_by_test_id("task-next-run").get_attribute("data-time")
    assert next_run and float(next_run) * 1000 == pytest.approx(_epoch_ms(first_run), abs=1), (
        next_run,
        first_run,
    )

    entry.get_by_test_id("task-run").click()
    expect(entry.get_by_test_id("task-action-result")).to_contain_text("3 queued of 3 found")
    expect(entry.get_by_test_id("task-last-run")).to_have_attribute("data-status", "ok")
    expect(entry.get_by_test_id("task-last-queued")).to_have_text("3 queued")
    assert len(server.get("/api/history/live")["queue"]) == 3

    # Nothing new: a second run queues nothing, and the list says so.
    entry.get_by_test_id("task-run").click()
    expect(entry.get_by_test_id("task-last-queued")).to_have_text("0 queued")

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "tasks_page_after_run.png", full_page=True)

    page.get_by_test_id("nav-downloads").click()
    expect(page.get_by_test_id("queue-item")).to_have_count(3)


def _epoch_ms(iso: str) -> float:
    from datetime import datetime

    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp() * 1000
