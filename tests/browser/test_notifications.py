"""The notifications page: a webhook to a real receiver on loopback, made in the UI with the
event picker, presets, body type, method and headers; the test button's per-target result;
edit and delete; and the server's refusal of a bad target shown beside the form."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from aiohttp import web
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import open_app
from tests.notifications.receiver import Received, Receiver
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


class ThreadedReceiver:
    """tests/notifications' Receiver served on 127.0.0.1 from a thread of its own, for the
    synchronous browser tests."""

    def __init__(self) -> None:
        self.receiver = Receiver()
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self.loop.run_forever, name="receiver")

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _call(self, coroutine: Any, timeout: float = 30.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    async def _start(self) -> None:
        self._runner = web.AppRunner(self.receiver.app())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def _stop(self) -> None:
        self.receiver.release()
        if self._runner is not None:
            await self._runner.cleanup()

    def start(self) -> None:
        self._thread.start()
        self._call(self._start())

    def stop(self) -> None:
        try:
            self._call(self._stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join()
            self.loop.close()

    def wait_for(self, count: int) -> list[Received]:
        """The requests received, once there are at least `count` of them."""
        got: list[Received] = self._call(self.receiver.wait_for(count, timeout=30.0))
        return got


@pytest.fixture
def receiver() -> Iterator[ThreadedReceiver]:
    threaded = ThreadedReceiver()
    threaded.start()
    yield threaded
    threaded.stop()


def targets(server: ServerProcess) -> list[dict[str, Any]]:
    answer = server.get("/api/notifications/")
    items: list[dict[str, Any]] = answer["items"]
    return items


def test_make_a_webhook_test_it_edit_and_delete_it(
    page: Page, server: ServerProcess, receiver: ThreadedReceiver
) -> None:
    url = f"{receiver.base_url}/hook"
    open_app(page, server)
    page.get_by_test_id("nav-notifications").click()
    expect(page.get_by_test_id("notification-list-message")).to_have_text(
        "No notification targets yet."
    )

    page.get_by_test_id("notification-new").click()
    form = page.get_by_test_id("notification-form")
    expect(form.get_by_role("heading")).to_have_text("New notification target")
    page.get_by_test_id("notification-name").fill("Local hook")
    page.get_by_test_id("notification-url").fill(url)
    # Webhook settings show for http(s) URLs only.
    page.get_by_test_id("notification-method").select_option("PUT")
    page.get_by_test_id("notification-type").select_option("json")
    page.get_by_test_id("notification-data-key").fill("payload")
    page.get_by_test_id("notification-header-add").click()
    header = page.get_by_test_id("notification-header")
    expect(header).to_have_count(1)
    header.get_by_test_id("notification-header-key").fill("X-Token")
    header.get_by_test_id("notification-header-value").fill("t0ken")
    # The event picker lists the server's events, `test` aside (the test button sends it).
    expect(page.get_by_test_id("notification-on-item_completed")).to_be_visible()
    expect(page.get_by_test_id("notification-on-test")).to_have_count(0)
    page.get_by_test_id("notification-on-item_completed").check()
    page.get_by_test_id("notification-on-item_added").check()
    page.get_by_test_id("notification-presets").fill("default, members ,")
    page.get_by_test_id("notification-save").click()

    expect(form).to_have_count(0)
    entry = page.get_by_test_id("notification-item").filter(has_text="Local hook")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("PUT webhook (json)")
    expect(entry).to_contain_text("presets: default, members")
    [saved] = targets(server)
    tid = saved["id"]
    assert saved == {
        "id": tid,
        "name": "Local hook",
        "on": ["item_completed", "item_added"],  # as picked
        "presets": ["default", "members"],
        "enabled": True,
        "request": {
            "type": "json",
            "method": "PUT",
            "url": url,
            "data_key": "payload",
            "headers": [{"key": "X-Token", "value": "t0ken"}],
        },
    }, saved

    # The test button: the target's result in the page, the notification at the receiver.
    page.get_by_test_id("notification-test").click()
    result = page.get_by_test_id("notification-test-result")
    expect(result).to_have_count(1)
    expect(result).to_have_text("Local hook: delivered")
    expect(result).to_have_attribute("data-delivered", "true")
    [got] = receiver.wait_for(1)
    assert (got.method, got.path, got.headers["X-Token"]) == ("PUT", "/hook", "t0ken")
    assert got.json["event"] == "test" and got.json["title"] == "Test Notification"
    assert got.json["payload"] == {}

    # Edit: the form shows the saved target; change the body to a form and drop an event.
    entry.get_by_test_id("notification-edit").click()
    expect(form.get_by_role("heading")).to_have_text("Edit notification target Local hook")
    expect(page.get_by_test_id("notification-url")).to_have_value(url)
    expect(page.get_by_test_id("notification-method")).to_have_value("PUT")
    expect(page.get_by_test_id("notification-data-key")).to_have_value("payload")
    expect(page.get_by_test_id("notification-header-value")).to_have_value("t0ken")
    expect(page.get_by_test_id("notification-presets")).to_have_value("default, members")
    expect(page.get_by_test_id("notification-on-item_completed")).to_be_checked()
    page.get_by_test_id("notification-on-item_added").uncheck()
    page.get_by_test_id("notification-type").select_option("form")
    page.get_by_test_id("notification-method").select_option("POST")
    with page.expect_request(
        lambda r: r.method == "PATCH" and r.url.endswith(f"/api/notifications/{tid}")
    ) as patched:
        page.get_by_test_id("notification-save").click()
    expect(form).to_have_count(0)
    # Only what changed is sent (the request as a whole, its header kept).
    assert patched.value.post_data_json == {
        "on": ["item_completed"],
        "request": {**saved["request"], "type": "form", "method": "POST"},
    }
    expect(entry).to_contain_text("POST webhook (form) · item_completed")

    edited = server.get(f"/api/notifications/{tid}")
    assert edited == {
        **saved,
        "on": ["item_completed"],
        "request": {**saved["request"], "type": "form", "method": "POST"},
    }, edited

    page.get_by_test_id("notification-test").click()
    expect(result).to_have_text("Local hook: delivered")
    [_, form_got] = receiver.wait_for(2)
    assert (form_got.method, form_got.content_type) == (
        "POST",
        "application/x-www-form-urlencoded",
    )
    assert form_got.form["event"] == "test" and form_got.headers["X-Token"] == "t0ken"

    # Delete asks again; then no target is left to test.
    entry.get_by_test_id("notification-delete").click()
    entry.get_by_test_id("notification-delete-confirm").click()
    expect(entry).to_have_count(0)
    assert targets(server) == []
    page.get_by_test_id("notification-test").click()
    expect(page.get_by_test_id("notification-test-none")).to_have_text("No enabled target.")
    assert len(receiver.receiver.got) == 2


def test_a_failed_delivery_is_shown_per_target(
    page: Page, server: ServerProcess, receiver: ThreadedReceiver
) -> None:
    receiver.receiver.statuses = [500]
    server.post(
        "/api/notifications/",
        {
            "name": "Broken",
            "on": [],
            "presets": [],
            "enabled": True,
            "request": {"type": "json", "method": "POST", "url": f"{receiver.base_url}/x"},
        },
    )
    open_app(page, server)
    page.get_by_test_id("nav-notifications").click()
    page.get_by_test_id("notification-test").click()
    result = page.get_by_test_id("notification-test-result")
    expect(result).to_have_attribute("data-delivered", "false")
    expect(result).to_have_text(re.compile(r"^Broken: not delivered \(.+, \d+ attempts?\)$"))
    match = re.search(r"(\d+) attempts?\)$", result.inner_text())
    assert match is not None
    # Every attempt the page reports reached the receiver.
    attempts = int(match.group(1))
    assert [got.path for got in receiver.wait_for(attempts)] == ["/x"] * attempts


def test_a_refused_target_shows_the_servers_message(
    page: Page, server: ServerProcess, console_errors: ConsoleErrors
) -> None:
    # Chromium logs every 4xx answer; this one is the refusal the test provokes.
    console_errors.allow(
        r"Failed to load resource: the server responded with a status of 400 .*"
        r"\(http://127\.0\.0\.1:\d+/api/notifications/?\)$"
    )
    open_app(page, server)
    page.get_by_test_id("nav-notifications").click()
    page.get_by_test_id("notification-new").click()
    page.get_by_test_id("notification-name").fill("Nowhere")
    page.get_by_test_id("notification-url").fill("not a url")
    page.get_by_test_id("notification-save").click()

    expect(page.get_by_test_id("notification-error")).to_have_text(
        "request.url: must be a URL: http(s):// for a webhook, or an apprise URL"
    )
    expect(page.get_by_test_id("notification-form")).to_be_visible()
    expect(page.get_by_test_id("notification-item")).to_have_count(0)
    assert targets(server) == []
