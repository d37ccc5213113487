"""Real Chromium against ``python main.py``: a page on another site, and a rebound name.

The page at ``http://localhost:<other port>`` is another site than the server at
``http://127.0.0.1:<port>``, so Chromium sends what it sends to any victim: forms with
cached Basic credentials, no-cors fetches, preflights, WebSocket handshakes. The server's
state is read afterwards by a script; a same-origin request shows the browser could have.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright

from tests.security.doors import PASSWORD, USERNAME
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
REBOUND = "rebind.test"  # resolved to 127.0.0.1 by Chromium alone, as a rebinding DNS would
TIMEOUT_MS = 30_000

ATTACKS = """
async (target) => {
  const results = {};
  const attempt = async (name, run) => {
    try { results[name] = await run(); } catch (error) { results[name] = 'blocked'; }
  };
  await attempt('no-cors-post', async () => {
    await fetch(target + '/api/system/pause', {method: 'POST', mode: 'no-cors',
      credentials: 'include', headers: {'Content-Type': 'text/plain'}, body: '{}'});
    return 'sent';
  });
  await attempt('json-post', async () => (await fetch(target + '/api/system/pause', {
    method: 'POST', credentials: 'include', headers: {'Content-Type': 'application/json'},
    body: '{}'})).status);
  await attempt('read-live', async () => (await fetch(target + '/api/history/live')).status);
  await attempt('quick-add', async () => {
    const answer = await fetch(target + '/api/history/add?url=' + encodeURIComponent('ftp://x'));
    return answer.status + ' ' + (await answer.json()).message;
  });
  results['websocket'] = await new Promise((resolve) => {
    const socket = new WebSocket(target.replace('http', 'ws') + '/ws');
    socket.onopen = () => { socket.close(); resolve('open'); };
    socket.onerror = () => resolve('refused');
  });
  return results;
}
"""


class _Page(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<!doctype html><title>another site</title><body></body>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def other_site() -> Iterator[str]:
    site = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=site.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{site.server_address[1]}/"
    site.shutdown()
    site.server_close()
    thread.join()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                f"--host-resolver-rules=MAP {REBOUND} 127.0.0.1",
            ],
        )
        yield browser
        browser.close()


def paused(server: ServerProcess) -> bool:
    auth = (USERNAME, PASSWORD)
    config = requests.get(f"{server.base_url}/api/system/configuration", auth=auth, timeout=10)
    return bool(config.json()["paused"])


SUBMIT_FORM = """
(action) => {
  const form = document.createElement('form');
  form.method = 'POST';
  form.enctype = 'text/plain';
  form.action = action;
  const field = document.createElement('input');
  field.name = '{"a":"';
  field.value = '"}';
  form.appendChild(field);
  document.body.appendChild(form);
  form.submit();
}
"""


def attack(page: Page, other_site: str, server: ServerProcess) -> dict[str, Any]:
    page.goto(other_site)
    results: dict[str, Any] = page.evaluate(ATTACKS, server.base_url)
    # Last, a top-level form: the request the browser's own auth cache answers for.
    page.goto(other_site)
    with page.expect_navigation() as navigation:
        page.evaluate(SUBMIT_FORM, server.base_url + "/api/system/pause")
    answer = navigation.value
    results["form"] = answer.status if answer is not None else None
    return results


def same_origin_pause(page: Page, server: ServerProcess) -> int:
    page.goto(server.base_url + "/api/ping")
    status: int = page.evaluate(
        "async () => (await fetch('/api/system/pause', {method: 'POST'})).status"
    )
    return status


def test_another_site_cannot_use_the_browsers_credentials(
    chromium: Browser, other_site: str, tmp_path: Path
) -> None:
    with ServerProcess(
        tmp_path / "s", YTP_AUTH_USERNAME=USERNAME, YTP_AUTH_PASSWORD=PASSWORD
    ) as server:
        context = chromium.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            # Credentials in the URL answer the 401 and land in Chromium's own auth cache,
            # which then adds them to later requests by itself, as after a login prompt.
            login = server.base_url.replace("//", f"//{USERNAME}:{quote(PASSWORD, safe='')}@")
            page.goto(login + "/api/ping")
            results = attack(page, other_site, server)
            assert paused(server) is False, results
            assert results["json-post"] == "blocked"  # its preflight is refused
            assert results["read-live"] == "blocked"
            assert results["websocket"] == "refused"
            assert results["form"] == 403
            # The bookmarklet's fetch carries no credentials; its 401 is readable.
            assert results["quick-add"] == "401 undefined"
            assert same_origin_pause(page, server) == 200  # the browser could have
            assert paused(server) is True
        finally:
            context.close()


def test_another_site_cannot_use_an_open_server(
    chromium: Browser, other_site: str, tmp_path: Path
) -> None:
    with ServerProcess(tmp_path / "s") as server:
        context = chromium.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            results = attack(page, other_site, server)
            assert paused(server) is False, results
            assert results["json-post"] == "blocked"
            assert results["read-live"] == "blocked"
            assert results["websocket"] == "refused"
            assert results["quick-add"].startswith("400 ")  # read by the bookmarklet
            assert results["form"] == 403
            assert same_origin_pause(page, server) == 200
        finally:
            context.close()


def test_a_rebound_name_gets_nothing(chromium: Browser, tmp_path: Path) -> None:
    with ServerProcess(tmp_path / "s") as server:
        context = chromium.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            rebound = server.base_url.replace("127.0.0.1", REBOUND)
            answer = page.goto(rebound + "/api/system/configuration")
            assert answer is not None and answer.status == 403
            status = page.evaluate(
                "async () => (await fetch('/api/system/pause', {method: 'POST'})).status"
            )
            assert status == 403
            assert paused(server) is False
            local = page.goto(server.base_url.replace("127.0.0.1", "localhost") + "/api/ping")
            assert local is not None and local.status == 200
        finally:
            context.close()
