"""The task definitions page: write a definition for the fixture site's HTML listing, preview
it against a listing with the inspect button, save, edit, delete; and the server's refusal
of a bad one shown beside the form."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.conftest import ConsoleErrors
from tests.browser.helpers import open_app
from tests.definitions.test_definitions_api import html_definition
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

pytestmark = pytest.mark.browser

# The fixture site's pl-small playlist, in its order, as the listing shows it.
SMALL = [
    ("v-basic", "Basic fixture video"),
    ("v-second", "Second fixture video"),
    ("v-third", "Third fixture video"),
]


def contains(whole: Any, part: Any) -> bool:
    """`part`'s keys all in `whole` with equal values, recursively in objects."""
    if isinstance(part, dict):
        return isinstance(whole, dict) and all(
            key in whole and contains(whole[key], value) for key, value in part.items()
        )
    return bool(whole == part)


def is_write(method: str, did: int | None = None) -> Callable[[Request], bool]:
    path = "/api/tasks/definitions/" + ("" if did is None else str(did))

    def matches(request: Request) -> bool:
        return request.method == method and urlsplit(request.url).path == path

    return matches


def definitions(server: ServerProcess) -> list[dict[str, Any]]:
    answer = server.get("/api/tasks/definitions/")
    items: list[dict[str, Any]] = answer["items"]
    return items


def saved_definition(server: ServerProcess, did: int) -> dict[str, Any]:
    answer: dict[str, Any] = server.get(f"/api/tasks/definitions/{did}")
    return answer


def test_write_inspect_save_edit_and_delete_a_definition(
    page: Page, server: ServerProcess, fixture_site: FixtureSite
) -> None:
    rules = html_definition(fixture_site)
    open_app(page, server)
    page.get_by_test_id("nav-definitions").click()
    expect(page.get_by_test_id("definition-list-message")).to_have_text("No task definitions yet.")

    page.get_by_test_id("definition-new").click()
    form = page.get_by_test_id("definition-form")
    expect(form.get_by_role("heading")).to_have_text("New task definition")
    page.get_by_test_id("definition-name").fill("Fixture listing")
    page.get_by_test_id("definition-description").fill("Cards of the fixture site")
    page.get_by_test_id("definition-rules").fill(json.dumps(rules, indent=2))

    # The preview runs the unsaved rules against a listing and lists what they find.
    page.get_by_test_id("definition-inspect-url").fill(fixture_site.url("/listing/pl-small"))
    page.get_by_test_id("definition-inspect").click()
    result = page.get_by_test_id("definition-inspect-result")
    expect(result).to_contain_text(f"3 items (3 found on {fixture_site.url('/listing/pl-small')})")
    expect(result).not_to_contain_text("does not match")
    found = result.get_by_role("listitem")
    expect(found).to_have_count(3)
    for row, (vid, title) in zip(found.all(), SMALL, strict=True):
        expect(row).to_contain_text(f"{title} — fixture {vid}")
        expect(row.get_by_role("link")).to_have_attribute("href", fixture_site.url(f"/watch/{vid}"))
    expect(page.get_by_test_id("definition-inspect-error")).to_have_count(0)
    assert definitions(server) == []  # inspecting saves nothing

    with page.expect_request(is_write("POST")) as posted:
        page.get_by_test_id("definition-save").click()
    expect(form).to_have_count(0)
    entry = page.get_by_test_id("definition-item").filter(has_text="Fixture listing")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Cards of the fixture site")

    [listed] = definitions(server)
    did = int(listed["id"])
    created = saved_definition(server, did)
    assert (created["name"], created["description"], created["enabled"]) == (
        "Fixture listing",
        "Cards of the fixture site",
        True,
    )
    # The UI sent the rules as typed; the server kept all of them and filled in its defaults.
    assert posted.value.post_data_json == {
        "name": "Fixture listing",
        "description": "Cards of the fixture site",
        "enabled": True,
        "definition": rules,
    }
    sent = created["definition"]
    assert contains(sent, rules), sent
    assert sent["response"]["max_bytes"] == 2 << 20

    # Edit: the form shows the saved rules (defaults filled in by the server); change the
    # title selector and disable it. Nothing else of the definition may change.
    entry.get_by_test_id("definition-edit").click()
    expect(form.get_by_role("heading")).to_have_text("Edit task definition Fixture listing")
    shown = json.loads(page.get_by_test_id("definition-rules").input_value())
    assert shown == sent
    edited = json.loads(json.dumps(sent))
    edited["parse"]["items"]["title"]["expression"] = "a.link"
    page.get_by_test_id("definition-rules").fill(json.dumps(edited, indent=2))
    page.get_by_test_id("definition-enabled").uncheck()
    page.get_by_test_id("definition-inspect-url").fill(fixture_site.url("/listing/pl-small"))
    page.get_by_test_id("definition-inspect").click()
    expect(result.get_by_role("listitem")).to_have_count(3)
    with page.expect_request(is_write("PATCH", did)) as patched:
        page.get_by_test_id("definition-save").click()
    expect(form).to_have_count(0)
    expect(entry).to_contain_text("disabled")
    # Only what changed is sent: the name and description stay as they are.
    assert patched.value.post_data_json == {"enabled": False, "definition": edited}

    after = saved_definition(server, did)
    assert after == {**created, "enabled": False, "definition": edited}, after

    # Delete asks again, then the definition is gone from the page and the server.
    entry.get_by_test_id("definition-delete").click()
    entry.get_by_test_id("definition-delete-confirm").click()
    expect(entry).to_have_count(0)
    expect(page.get_by_test_id("definition-list-message")).to_have_text("No task definitions yet.")
    assert definitions(server) == []


def test_a_refused_definition_shows_the_servers_message(
    page: Page, server: ServerProcess, fixture_site: FixtureSite, console_errors: ConsoleErrors
) -> None:
    # Chromium logs every 4xx answer; these are the refusals the test provokes.
    console_errors.allow(
        r"Failed to load resource: the server responded with a status of 400 .*"
        r"\(http://127\.0\.0\.1:\d+/api/tasks/definitions/(inspect)?\)$"
    )
    rules = html_definition(fixture_site)
    rules["parse"]["url"] = {"glob": "a", "regex": "b"}
    open_app(page, server)
    page.get_by_test_id("nav-definitions").click()
    page.get_by_test_id("definition-new").click()
    page.get_by_test_id("definition-name").fill("Both patterns")
    page.get_by_test_id("definition-rules").fill(json.dumps(rules))

    # The preview and the save both show the server's reason.
    page.get_by_test_id("definition-inspect-url").fill(fixture_site.url("/listing/pl-small"))
    page.get_by_test_id("definition-inspect").click()
    expect(page.get_by_test_id("definition-inspect-error")).to_contain_text(
        "exactly one of glob or regex"
    )
    expect(page.get_by_test_id("definition-inspect-result")).to_have_count(0)
    page.get_by_test_id("definition-save").click()
    expect(page.get_by_test_id("definition-error")).to_contain_text("exactly one of glob or regex")
    expect(page.get_by_test_id("definition-form")).to_be_visible()
    expect(page.get_by_test_id("definition-item")).to_have_count(0)
    assert definitions(server) == []

    # Text that is not a JSON object is stopped in the page, before the server.
    page.get_by_test_id("definition-rules").fill("[1, 2")
    page.get_by_test_id("definition-save").click()
    expect(page.get_by_test_id("definition-error")).to_have_text(
        "The definition must be a JSON object with parse, engine, request and response."
    )

    # Fixed, it saves.
    page.get_by_test_id("definition-rules").fill(json.dumps(html_definition(fixture_site)))
    page.get_by_test_id("definition-save").click()
    expect(page.get_by_test_id("definition-form")).to_have_count(0)
    expect(page.get_by_test_id("definition-item").filter(has_text="Both patterns")).to_have_count(1)
    assert [d["name"] for d in definitions(server)] == ["Both patterns"]
