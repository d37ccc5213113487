"""Conditions over HTTP: CRUD, validation, the test endpoint and the queue's match."""

from __future__ import annotations

from typing import Any

from app import keys
from app.core.wire import EventName
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, call

BODY: dict[str, Any] = {
    "name": "Proxy for members",
    "filter": "availability = 'needs_auth' & channel_id = 'ch-test'",
    "cli": "--proxy http://127.0.0.1:9",
    "extras": {"preset": "720p", "cookies": "secret-cookie"},
    "enabled": True,
    "priority": 10,
    "description": "Members-only videos",
}


async def test_crud_round_trip(client: Client, events: EventLog) -> None:
    created = await call(client, "POST", "/api/conditions", json=BODY)
    cid = created["id"]
    assert created["filter"] == BODY["filter"] and created["extras"]["cookies"] == "secret-cookie"
    event = await events.wait_for(lambda e: e.event == EventName.CONFIG_UPDATE)
    assert event.data["feature"] == "conditions" and event.data["action"] == "create"
    assert "secret-cookie" not in str(event.data)

    listed = await call(client, "GET", "/api/conditions/?page=1")
    assert [c["id"] for c in listed["items"]] == [cid]
    assert listed["pagination"]["total"] == 1
    assert listed["items"][0]["extras"]["has_cookies"] is True
    assert "secret-cookie" not in str(listed)
    fetched = await call(client, "GET", f"/api/conditions/{cid}")
    assert fetched["extras"]["cookies"] == "secret-cookie"

    patched = await call(
        client, "PATCH", f"/api/conditions/{cid}", json={"enabled": False, "priority": 5}
    )
    assert patched["enabled"] is False and patched["priority"] == 5
    assert patched["cli"] == BODY["cli"]
    replaced = await call(
        client, "PUT", f"/api/conditions/{cid}", json={"name": "Long", "filter": "duration > 600"}
    )
    assert (
        replaced["cli"] == ""
        and replaced["enabled"] is True
        and replaced["extras"]["skip"] is False
    )
    deleted = await call(client, "DELETE", f"/api/conditions/{cid}/")
    assert deleted["name"] == "Long"
    await call(client, "GET", f"/api/conditions/{cid}", status=404)
    actions = [e.data["action"] for e in events.events if e.event == EventName.CONFIG_UPDATE]
    assert actions == ["create", "update", "update", "delete"]


async def test_validation(client: Client) -> None:
    bad_filter = await call(
        client, "POST", "/api/conditions", json={"name": "x", "filter": "(duration > 5"}, status=400
    )
    assert "position 13" in bad_filter["error"]
    refused = await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "x", "filter": "duration > 5", "cli": "--exec ls"},
        status=400,
    )
    assert "--exec" in refused["error"]
    unknown = await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "x", "filter": "duration > 5", "extras": {"preset": "nope"}},
        status=400,
    )
    assert "nope" in unknown["error"]
    await call(client, "POST", "/api/conditions", json={"name": "x"}, status=400)
    await call(client, "POST", "/api/conditions", json={"name": "x", "filter": "duration > 5"})
    await call(
        client, "POST", "/api/conditions", json={"name": "X", "filter": "duration > 5"}, status=409
    )
    await call(client, "PATCH", "/api/conditions/999", json={"enabled": False}, status=404)
    await call(client, "DELETE", "/api/conditions/999", status=404)


async def test_match_uses_priority_and_enabled(client: Client) -> None:
    await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "low", "filter": "duration > 600", "priority": 1, "cli": "-x"},
    )
    await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "high", "filter": "duration > 1000", "priority": 9, "extras": {"skip": True}},
    )
    off = await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "off", "filter": "duration > 0", "priority": 99, "enabled": False},
    )
    service = client.app[keys.CONDITIONS]
    found = service.match({"duration": 3600})
    assert found is not None and found.name == "high" and found.skip is True
    found = service.match({"duration": 700})
    assert found is not None and found.name == "low" and found.cli == "-x"
    assert service.match({"duration": 3}) is None
    await call(client, "PATCH", f"/api/conditions/{off['id']}", json={"enabled": True})
    found = service.match({"duration": 3})
    assert found is not None and found.name == "off"


async def test_test_endpoint(client: Client, fixture_site: FixtureSite) -> None:
    url = fixture_site.url("/watch/v-long")
    result = await call(
        client,
        "POST",
        "/api/conditions/test",
        json={"url": url, "condition": "duration > 600 & title ~= 'Long'"},
    )
    assert result["status"] is True and result["data"]["id"] == "v-long"
    result = await call(
        client,
        "POST",
        "/api/conditions/test/",
        json={
            "url": fixture_site.url("/watch/v-auth"),
            "condition": "duration > 600 || availability = 'needs_auth'",
        },
    )
    assert result["status"] is True
    result = await call(
        client,
        "POST",
        "/api/conditions/test",
        json={"url": url, "condition": "duration < 600", "preset": "720p"},
    )
    assert result["status"] is False
    await call(client, "POST", "/api/conditions/test", json={"url": url}, status=400)
    await call(client, "POST", "/api/conditions/test", json={"condition": "a > 1"}, status=400)
    await call(
        client, "POST", "/api/conditions/test", json={"url": url, "condition": "a ||"}, status=400
    )
    await call(
        client,
        "POST",
        "/api/conditions/test",
        json={"url": url, "condition": "a > 1", "preset": "nope"},
        status=404,
    )
