"""The Logs page's live tail, the Terminal page, and the footer's documents."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import open_app
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    # INFO: every request is in the access log, so the test can make a line appear.
    process = ServerProcess(
        tmp_path / "server",
        YTP_MAX_WORKERS="2",
        YTP_LOG_LEVEL="INFO",
        YTP_CONSOLE_ENABLED="true",
    )
    process.start()
    yield process
    process.stop()


def test_the_logs_page_tails_the_log(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    page.get_by_test_id("nav-logs").click()
    expect(page.get_by_test_id("logs-state")).to_have_attribute("data-state", "live")
    expect(page.get_by_test_id("logs-line").first).to_be_visible()  # start-up lines
    answer = requests.get(f"{server.base_url}/api/ping?marker=tail-me", timeout=30)
    assert answer.ok
    fresh = page.get_by_test_id("logs-line").filter(has_text="marker=tail-me")
    expect(fresh).to_have_count(1)
    page.get_by_test_id("logs-filter").fill("tail-me")
    expect(page.get_by_test_id("logs-line")).to_have_count(1)


def test_the_terminal_runs_yt_dlp(
    page: Page, server: ServerProcess, console_errors: ConsoleErrors
) -> None:
    version = server.get("/api/system/configuration")["app"]["ytdlp_version"]
    open_app(page, server)
    page.get_by_test_id("nav-terminal").click()
    page.get_by_test_id("terminal-command").fill("--version")
    page.get_by_test_id("terminal-run").click()
    expect(page.get_by_test_id("terminal-exit")).to_have_attribute("data-code", "0")
    expect(page.get_by_test_id("terminal-line")).to_have_text([version])

    console_errors.allow(r"status of 400 .*/api/system/terminal")  # the refusal below
    page.get_by_test_id("terminal-command").fill("--exec 'touch /tmp/x' --version")
    page.get_by_test_id("terminal-run").click()
    expect(page.get_by_test_id("terminal-error")).to_contain_text("not allowed")


def test_stop_ends_a_command(page: Page, server: ServerProcess) -> None:
    # A server that accepts connections and never answers: the command waits until stopped.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/never"
        open_app(page, server)
        page.get_by_test_id("nav-terminal").click()
        page.get_by_test_id("terminal-command").fill(url)
        page.get_by_test_id("terminal-run").click()
        expect(page.get_by_test_id("terminal-line").first).to_contain_text("[generic]")
        expect(page.get_by_test_id("terminal-running")).to_be_visible()
        page.get_by_test_id("terminal-stop").click()
        expect(page.get_by_test_id("terminal-output")).to_have_attribute("data-running", "false")
        expect(page.get_by_test_id("terminal-run")).to_be_enabled()


def test_the_footer_links_the_documents(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    link = page.get_by_test_id("doc-README.md")
    href = link.get_attribute("href")
    assert href is not None and href.endswith("/api/docs/README.md")
    answer = requests.get(href, timeout=30)
    assert answer.ok and answer.headers["Content-Type"].startswith("text/markdown")
    expect(page.get_by_test_id("footer-versions")).to_contain_text("yt-dlp")


def test_the_terminal_is_not_in_the_menu_without_the_console(page: Page, tmp_path: Path) -> None:
    plain = ServerProcess(tmp_path / "plain")
    plain.start()
    try:
        open_app(page, plain)
        expect(page.get_by_test_id("nav-logs")).to_be_visible()
        expect(page.get_by_test_id("nav-terminal")).to_have_count(0)
        page.goto(plain.base_url + "/#/terminal")
        expect(page.get_by_test_id("terminal-disabled")).to_be_visible()
    finally:
        page.goto("about:blank")  # leaves before its server stops: no failed polls
        plain.stop()
