"""The Files page in Chromium: list a folder, sort, search, open a subfolder, rename a file
(controls on), and the page's absence from the navigation when the browser is off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import open_app
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[ServerProcess]:
    env = getattr(request, "param", {"YTP_BROWSER_CONTROL_ENABLED": "true"})
    process = ServerProcess(tmp_path / "server", YTP_MAX_WORKERS="2", **env)
    root = tmp_path / "server" / "downloads"
    for name, size, mtime in (
        ("beta.mp4", 3000, 1_700_000_300),
        ("alpha.en.vtt", 1000, 1_700_000_100),
        ("gamma.nfo", 2000, 1_700_000_200),
    ):
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * size)
        os.utime(path, (mtime, mtime))
    (root / "season 1").mkdir()
    (root / "season 1" / "episode.mkv").write_bytes(b"x")
    process.start()
    yield process
    process.stop()


def rows(page: Page) -> list[str]:
    return [
        str(n)
        for n in page.get_by_test_id("file-row").evaluate_all(
            "rows => rows.map(r => r.dataset.name)"
        )
    ]


def expect_rows(page: Page, names: list[str]) -> None:
    expect(page.get_by_test_id("file-row")).to_have_count(len(names))
    for index, name in enumerate(names):
        expect(page.get_by_test_id("file-row").nth(index)).to_have_attribute("data-name", name)


def test_list_sort_search_and_rename(page: Page, server: ServerProcess) -> None:
    open_app(page, server)
    page.get_by_test_id("nav-files").click()
    expect_rows(page, ["season 1", "alpha.en.vtt", "beta.mp4", "gamma.nfo"])

    page.get_by_test_id("files-sort").select_option("size")
    expect_rows(page, ["season 1", "alpha.en.vtt", "gamma.nfo", "beta.mp4"])
    page.get_by_test_id("files-order").click()
    expect_rows(page, ["season 1", "beta.mp4", "gamma.nfo", "alpha.en.vtt"])
    page.get_by_test_id("files-sort").select_option("date")
    expect_rows(page, ["season 1", "beta.mp4", "gamma.nfo", "alpha.en.vtt"])
    page.get_by_test_id("files-order").click()
    expect_rows(page, ["season 1", "alpha.en.vtt", "gamma.nfo", "beta.mp4"])

    page.get_by_test_id("files-search").fill("MP4")
    page.get_by_test_id("files-search").press("Enter")
    expect_rows(page, ["beta.mp4"])
    page.get_by_test_id("files-search").fill("")
    page.get_by_test_id("files-search").press("Enter")
    expect(page.get_by_test_id("file-row")).to_have_count(4)

    row = page.locator('[data-testid="file-row"][data-name="beta.mp4"]')
    row.get_by_test_id("file-rename").click()
    page.get_by_test_id("file-rename-input").fill("renamed.mp4")
    page.get_by_test_id("file-rename-save").click()
    expect(page.locator('[data-testid="file-row"][data-name="renamed.mp4"]')).to_have_count(1)
    expect(page.locator('[data-testid="file-row"][data-name="beta.mp4"]')).to_have_count(0)
    root = Path(server.get("/api/system/configuration")["app"]["download_path"])
    assert (root / "renamed.mp4").stat().st_size == 3000 and not (root / "beta.mp4").exists()

    page.locator('[data-testid="file-row"][data-name="season 1"]').get_by_test_id(
        "file-name"
    ).click()
    expect(page).to_have_url(f"{server.base_url}/#/files/season%201")
    expect_rows(page, ["episode.mkv"])
    page.get_by_test_id("files-crumb").first.click()
    expect(page.get_by_test_id("file-row")).to_have_count(4)


@pytest.mark.parametrize("server", [{"YTP_BROWSER_ENABLED": "false"}], indirect=True)
def test_hidden_when_the_browser_is_off(
    page: Page, server: ServerProcess, console_errors: ConsoleErrors
) -> None:
    console_errors.allow(r"status of 403")  # the page asks once and shows the refusal
    open_app(page, server)
    expect(page.get_by_test_id("nav-presets")).to_be_visible()
    expect(page.get_by_test_id("nav-files")).to_have_count(0)
    page.goto(f"{server.base_url}/#/files")
    expect(page.get_by_test_id("files-error")).to_contain_text("disabled")
