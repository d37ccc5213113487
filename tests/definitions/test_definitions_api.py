"""Task definitions over HTTP against the fixture site: CRUD, inspection of an HTML and a
JSON listing, clear 400s for pages a definition cannot read, and the address policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app import keys
from app.core.wire import EventName
from app.definitions.entries import Entry
from app.definitions.handler import DefinitionHandler
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, call

PATH = "/api/tasks/definitions/"
SMALL = ["v-basic", "v-second", "v-third"]


def html_definition(site: FixtureSite) -> dict[str, Any]:
    return {
        "parse": {
            "url": {"glob": site.url("/listing/*")},
            "items": {
                "selector": "article.card",
                "url": {"expression": "a.link", "attribute": "href"},
                "title": {"expression": "h3"},
                "id": {"attribute": "data-id"},
                "archive_prefix": "fixture",
            },
        },
        "engine": {"type": "html"},
        "request": {"headers": {"Accept-Language": "en"}},
    }


def json_definition(site: FixtureSite) -> dict[str, Any]:
    """Task URLs are the HTML listings; the items come from the JSON API beside them."""
    return {
        "parse": {
            "url": {"regex": r"^https?://[^/]+/listing/(?P<list>[\w-]+)$"},
            "items": {
                "selector": "listing.videos",
                "url": {"expression": "link"},
                "title": {"expression": "name"},
                "id": {"expression": "link", "regex": r"/watch/([\w-]+)"},
            },
        },
        "engine": {"type": "json"},
        "request": {"url": site.url("/api/listing/{list}")},
    }


async def create(client: Client, name: str, definition: dict[str, Any]) -> dict[str, Any]:
    body = {"name": name, "description": "fixture", "definition": definition}
    created: dict[str, Any] = await call(client, "POST", PATH, json=body)
    return created


async def test_crud_round_trip(client: Client, events: EventLog, fixture_site: FixtureSite) -> None:
    created = await create(client, "Listing", html_definition(fixture_site))
    did = created["id"]
    assert created["enabled"] is True
    assert created["definition"]["parse"]["items"]["selector"] == "article.card"
    assert created["definition"]["response"]["max_bytes"] == 2 << 20  # defaults filled

    listed = await call(client, "GET", "/api/tasks/definitions")
    assert [(d["id"], d["name"]) for d in listed["items"]] == [(did, "Listing")]
    assert "definition" not in listed["items"][0]
    assert listed["pagination"]["total"] == 1
    full = await call(client, "GET", PATH + "?include=definition")
    assert full["items"][0]["definition"] == created["definition"]

    assert (await call(client, "GET", PATH + str(did)))["definition"] == created["definition"]
    patched = await call(client, "PATCH", f"{PATH}{did}", json={"enabled": False})
    assert patched["enabled"] is False and patched["definition"] == created["definition"]
    replaced = await call(
        client,
        "PUT",
        f"{PATH}{did}",
        json={"name": "Renamed", "definition": json_definition(fixture_site)},
    )
    assert replaced["enabled"] is True and replaced["description"] == ""
    deleted = await call(client, "DELETE", f"{PATH}{did}")
    assert deleted["name"] == "Renamed"
    await call(client, "GET", f"{PATH}{did}", status=404)
    actions = [
        (e.data["feature"], e.data["action"])
        for e in events.events
        if e.event == EventName.CONFIG_UPDATE
    ]
    assert actions == [("task_definitions", a) for a in ("create", "update", "update", "delete")]


async def test_validation(client: Client, fixture_site: FixtureSite) -> None:
    good = html_definition(fixture_site)

    async def refused(definition: dict[str, Any], status: int = 400) -> str:
        body = {"name": "x", "definition": definition}
        return str((await call(client, "POST", PATH, json=body, status=status))["error"])

    both = {**good, "parse": {**good["parse"], "url": {"glob": "a", "regex": "b"}}}
    assert "exactly one of glob or regex" in await refused(both)
    slow = {**good, "parse": {**good["parse"], "url": {"regex": r"(a)\1"}}}
    assert "backreferences" in await refused(slow)
    items = {**good["parse"]["items"], "selector": "div[[["}
    bad_css = {**good, "parse": {**good["parse"], "items": items}}
    assert "parse.items.selector" in await refused(bad_css)
    items = {**good["parse"]["items"], "selector": "listing.["}
    bad_path = {**good, "engine": {"type": "json"}, "parse": {**good["parse"], "items": items}}
    assert "not a valid JMESPath expression" in await refused(bad_path)
    assert "header" in await refused({**good, "request": {"headers": {"X-A": "1\r\nX-B: 2"}}})
    assert "engine" in await refused({**good, "engine": {"type": "xml"}})
    await create(client, "Listing", good)
    await call(client, "POST", PATH, json={"name": "listing", "definition": good}, status=409)
    await call(client, "GET", PATH + "abc", status=400)
    await call(client, "PATCH", PATH + "999", json={"enabled": False}, status=404)


async def test_inspect_html_listing(client: Client, fixture_site: FixtureSite) -> None:
    await create(client, "Listing", html_definition(fixture_site))
    url = fixture_site.url("/listing/pl-small")
    answer = await call(client, "POST", PATH + "inspect", json={"url": url})
    assert answer["matched"] is True and answer["definition"] == "Listing"
    assert answer["metadata"]["raw_count"] == 3
    assert [i["url"] for i in answer["items"]] == [fixture_site.url(f"/watch/{v}") for v in SMALL]
    assert answer["items"][0] == {
        "url": fixture_site.url("/watch/v-basic"),
        "title": "Basic fixture video",
        "id": "v-basic",
        "archive_id": "fixture v-basic",
    }


async def test_inspect_unsaved_json_definition(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/listing/pl-small")
    body = {"url": url, "definition": json_definition(fixture_site)}
    answer = await call(client, "POST", PATH + "inspect", json=body)
    assert answer["matched"] is True and answer["definition"] is None
    assert answer["metadata"]["page_url"] == fixture_site.url("/api/listing/pl-small")
    assert [(i["id"], i["title"]) for i in answer["items"]] == [
        ("v-basic", "Basic fixture video"),
        ("v-second", "Second fixture video"),
        ("v-third", "Third fixture video"),
    ]
    assert answer["items"][0]["archive_id"] is None
    other = {"url": fixture_site.url("/playlist/pl-small"), "definition": body["definition"]}
    await call(client, "POST", PATH + "inspect", json=other, status=400)  # no {list} group


async def test_unreadable_pages_are_clear_400s(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/listing/pl-small")

    async def error(definition: dict[str, Any], target: str = url) -> str:
        body = {"url": target, "definition": definition}
        return str((await call(client, "POST", PATH + "inspect", json=body, status=400))["error"])

    as_json = {**html_definition(fixture_site), "engine": {"type": "json"}}
    as_json["parse"]["items"] = {"selector": "videos", "url": {"expression": "link"}}
    assert "The page is not JSON" in await error(as_json)
    nothing = html_definition(fixture_site)
    nothing["parse"]["items"]["selector"] = "table tr"
    assert "matched nothing" in await error(nothing)
    no_urls = html_definition(fixture_site)
    no_urls["parse"]["items"]["url"] = {"expression": "h3"}  # text, not a link
    assert "None of the 3 items" in await error(no_urls)
    not_list = json_definition(fixture_site)
    not_list["parse"]["items"]["selector"] = "listing.title"
    assert "gave a string, not a list" in await error(not_list)
    missing = html_definition(fixture_site)
    assert "HTTP 404" in await error(missing, fixture_site.url("/listing/nope"))
    small = html_definition(fixture_site) | {"response": {"max_bytes": 1024}}
    big = fixture_site.url("/listing/pl-big")
    assert "larger than 1024 bytes" in await error(small, big)
    await call(client, "POST", PATH + "inspect", json={"url": url}, status=400)  # none stored


async def test_internal_addresses_are_refused_by_default(
    tmp_path: Path, make_client: MakeClient, fixture_site: FixtureSite
) -> None:
    client = await make_client(make_settings(tmp_path, allow_internal_urls=False))
    fixture_site.reset_hits()
    body = {
        "url": fixture_site.url("/listing/pl-small"),
        "definition": html_definition(fixture_site),
    }
    answer = await call(client, "POST", PATH + "inspect", json=body, status=400)
    assert "127.0.0.1 is an internal address" in answer["error"]
    assert fixture_site.hits("/listing") == 0


async def test_handler_reads_tasks_urls(client: Client, fixture_site: FixtureSite) -> None:
    """What the tasks' scheduler calls: a static match, then the entries or a clear error."""
    handler = DefinitionHandler(client.app[keys.TASK_DEFINITIONS])
    url = fixture_site.url("/listing/pl-small")
    assert not handler.can_handle(url)
    created = await create(client, "Listing", html_definition(fixture_site))
    assert handler.can_handle(url)
    assert not handler.can_handle(fixture_site.url("/playlist/pl-small"))
    assert await handler.entries(url, preset="default", static_only=True) == []
    entries = await handler.entries(url, preset="default")
    assert entries[0] == Entry(
        fixture_site.url("/watch/v-basic"), "Basic fixture video", "v-basic", "fixture v-basic"
    )
    broken = html_definition(fixture_site)
    broken["parse"]["items"]["selector"] = "table tr"
    await call(client, "PATCH", f"{PATH}{created['id']}", json={"definition": broken})
    try:
        await handler.entries(url, preset="default")
    except Exception as exc:  # the scheduler logs this message on the task
        assert "Task definition 'Listing': The items selector" in str(exc)
    else:
        raise AssertionError("a page the definition cannot read must raise")
    await call(client, "PATCH", f"{PATH}{created['id']}", json={"enabled": False})
    assert not handler.can_handle(url)
