"""Browser tests: real Chromium (Debian's, never a downloaded one) against `python main.py`.

Every test gets a fresh server in its own temporary folder, a fresh browser context and a
page whose console errors fail the test, and leaves a screenshot in
`test-artifacts/browser/<test name>.png`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Error,
    Page,
    Playwright,
    ViewportSize,
    sync_playwright,
)

from tests.server_process import ROOT, ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
UI_INDEX = ROOT / "ui" / "dist" / "index.html"

DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}

# Generous: the machines are shared and noisy; Playwright's waits return as soon as they can.
TIMEOUT_MS = 30_000


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "phone: run the browser test at phone size (390x844)")


@pytest.fixture(scope="session")
def browser_requirements() -> None:
    """Skips the whole browser suite, with the reason, when it cannot run here."""
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (`make test` installs it)")
    if not UI_INDEX.exists():
        pytest.skip(f"browser tests need the built UI at {UI_INDEX} (`bash scripts/build-ui.sh`)")


# Module scope, not session: Playwright's sync API keeps its own event loop running in this
# thread while it is started, and the async tests that run after this folder need it gone.
# Under pytest-xdist each browser module is one group (tests/conftest.py), run on one
# worker, so a module still starts one browser, not one per worker.
@pytest.fixture(scope="module")
def playwright_session(browser_requirements: None) -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="module")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    browser = playwright_session.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(tmp_path / "server", YTP_MAX_WORKERS="2")
    process.start()
    yield process
    process.stop()


@dataclass
class ConsoleErrors:
    """Console errors and uncaught exceptions of a page; the test fails if any is left."""

    messages: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Tolerates messages matching `pattern` (a regular expression) from now on."""
        self.allowed.append(re.compile(pattern))

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.record(f"console.error: {message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Error) -> None:
        self.record(f"pageerror: {error.message}\n{error.stack or ''}")

    def record(self, text: str) -> None:
        if not any(pattern.search(text) for pattern in self.allowed):
            self.messages.append(text)


@pytest.fixture
def console_errors() -> ConsoleErrors:
    return ConsoleErrors()


def _artifact_name(request: pytest.FixtureRequest) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name).strip("_")


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    console_errors: ConsoleErrors,
    server: ServerProcess,  # torn down after the page: no failed polls at the end
) -> Iterator[Page]:
    phone = request.node.get_closest_marker("phone") is not None
    context = browser.new_context(
        viewport=PHONE if phone else DESKTOP,
        is_mobile=phone,
        has_touch=phone,
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.on("console", console_errors.on_console)
    page.on("pageerror", console_errors.on_page_error)
    try:
        yield page
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=ARTIFACTS / f"{_artifact_name(request)}.png", full_page=True)
    finally:
        context.close()
    assert console_errors.messages == [], "errors in the browser console:\n" + "\n".join(
        console_errors.messages
    )
