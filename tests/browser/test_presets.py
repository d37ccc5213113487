"""Creating presets in the UI, using one when adding, and the server's refusal of bad ones."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import add_url, open_app, server_item, wait_finished
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

NAME = "low 360p"
CLI = '-f "bv*[height<=360]+ba/b"'


COOKIES = "# Netscape HTTP Cookie File\n.example.com\tTRUE\t/\tFALSE\t0\tsid\tsecret\n"


def require_presets_api(page: Page, server: ServerProcess) -> None:
    # A missing route is a failure, not a skip: the UI's presets page depends on it.
    status = page.request.get(f"{server.base_url}/api/presets").status
    assert status == 200, f"GET /api/presets answered {status}"


def preset_names(server: ServerProcess) -> list[str]:
    answer = server.get("/api/presets")
    items = answer["items"] if isinstance(answer, dict) else answer
    return [str(preset["name"]) for preset in items]


def test_create_a_preset_and_add_with_it(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    require_presets_api(page, server)
    open_app(page, server)

    page.get_by_test_id("nav-presets").click()
    page.get_by_test_id("preset-new").click()
    page.get_by_test_id("preset-name").fill(NAME)
    page.get_by_test_id("preset-cli").fill(CLI)
    page.get_by_test_id("preset-save").click()
    created = page.get_by_test_id("preset-item").filter(has_text=NAME)
    expect(created).to_have_count(1)
    expect(created).to_contain_text(CLI)
    expect(page.get_by_test_id("preset-error")).to_have_count(0)
    assert NAME in preset_names(server)

    page.get_by_test_id("nav-downloads").click()
    uid = add_url(page, fixture_site.url("/watch/gen-4001"), preset=NAME)
    done = wait_finished(page, uid)
    expect(done).to_contain_text(f"Preset {NAME}")
    assert server_item(server, uid)["preset"] == NAME


def test_a_refused_preset_shows_the_servers_message(
    page: Page, server: ServerProcess, console_errors: ConsoleErrors
) -> None:
    require_presets_api(page, server)
    # Chromium logs every 4xx answer; this one is the refusal the test provokes.
    console_errors.allow(
        r"Failed to load resource: the server responded with a status of 400 .*"
        r"\(http://127\.0\.0\.1:\d+/api/presets/?\)$"
    )
    open_app(page, server)

    page.get_by_test_id("nav-presets").click()
    page.get_by_test_id("preset-new").click()
    page.get_by_test_id("preset-name").fill("runs things")
    page.get_by_test_id("preset-cli").fill("--exec x")
    page.get_by_test_id("preset-save").click()

    expect(page.get_by_test_id("preset-error")).to_contain_text("Option '--exec' is not allowed.")
    expect(page.get_by_test_id("preset-form")).to_be_visible()
    expect(page.get_by_test_id("preset-item").filter(has_text="runs things")).to_have_count(0)
    assert "runs things" not in preset_names(server)


def test_editing_a_preset_keeps_its_cookies(page: Page, server: ServerProcess) -> None:
    require_presets_api(page, server)
    # Lists carry has_cookies, never the cookies: saving a list entry back must not erase them.
    created = server.post("/api/presets", {"name": "members", "cli": "-f b", "cookies": COOKIES})
    open_app(page, server)

    page.get_by_test_id("nav-presets").click()
    entry = page.get_by_test_id("preset-item").filter(has_text="members")
    entry.get_by_test_id("preset-edit").click()
    expect(page.get_by_test_id("preset-cookies")).to_have_value(COOKIES)
    page.get_by_test_id("preset-cli").fill("-f w")
    page.get_by_test_id("preset-save").click()
    expect(page.get_by_test_id("preset-form")).to_have_count(0)
    expect(entry).to_contain_text("-f w")

    saved = server.get(f"/api/presets/{created['id']}")
    assert saved["cli"] == "-f w"
    assert saved["cookies"] == COOKIES
    assert "has_cookies" not in saved


def test_editing_a_condition_keeps_its_cookies(page: Page, server: ServerProcess) -> None:
    created = server.post(
        "/api/conditions",
        {"name": "long ones", "filter": "duration > 600", "extras": {"cookies": COOKIES}},
    )
    open_app(page, server)

    page.get_by_test_id("nav-conditions").click()
    entry = page.get_by_test_id("condition-item").filter(has_text="long ones")
    entry.get_by_test_id("condition-edit").click()
    page.get_by_test_id("condition-filter").fill("duration > 1200")
    page.get_by_test_id("condition-save").click()
    expect(page.get_by_test_id("condition-form")).to_have_count(0)
    expect(entry).to_contain_text("duration > 1200")

    saved = server.get(f"/api/conditions/{created['id']}")
    assert saved["filter"] == "duration > 1200"
    assert saved["extras"]["cookies"] == COOKIES
    assert "has_cookies" not in saved["extras"]
