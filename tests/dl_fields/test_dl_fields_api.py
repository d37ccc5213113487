"""Download fields over HTTP: CRUD, option validation, configuration and events."""

from __future__ import annotations

from app.core.wire import EventName
from tests.conftest import EventLog
from tests.integration.helpers import Client, call

PROXY = {
    "name": "Proxy",
    "description": "Route this download through a proxy",
    "field": "--proxy",
    "kind": "text",
    "order": 2,
    "value": "",
    "icon": "fa-solid fa-globe",
    "extras": {"placeholder": "socks5://host:1080"},
}


async def test_crud_round_trip(client: Client, events: EventLog) -> None:
    created = await call(client, "POST", "/api/dl_fields/", json=PROXY)
    fid = created["id"]
    assert {k: created[k] for k in PROXY} == PROXY
    subs = await call(
        client,
        "POST",
        "/api/dl_fields",
        json={"name": "Subtitles", "field": "--write-subs", "kind": "bool", "order": 1},
    )
    listed = await call(client, "GET", "/api/dl_fields/?page=1")
    assert [f["id"] for f in listed["items"]] == [subs["id"], fid]  # by order
    assert listed["pagination"]["total"] == 2
    config = await call(client, "GET", "/api/system/configuration")
    assert [f["field"] for f in config["dl_fields"]] == ["--write-subs", "--proxy"]

    assert (await call(client, "GET", f"/api/dl_fields/{fid}"))["name"] == "Proxy"
    patched = await call(client, "PATCH", f"/api/dl_fields/{fid}", json={"order": 0})
    assert patched["order"] == 0 and patched["field"] == "--proxy"
    replaced = await call(
        client,
        "PUT",
        f"/api/dl_fields/{fid}",
        json={"name": "Rate", "field": "--limit-rate", "value": "1M"},
    )
    assert replaced["kind"] == "text" and replaced["extras"] == {}
    deleted = await call(client, "DELETE", f"/api/dl_fields/{fid}")
    assert deleted["field"] == "--limit-rate"
    await call(client, "GET", f"/api/dl_fields/{fid}", status=404)
    actions = [
        (e.data["feature"], e.data["action"])
        for e in events.events
        if e.event == EventName.CONFIG_UPDATE
    ]
    assert actions == [("dl_fields", a) for a in ("create", "create", "update", "update", "delete")]


async def test_validation(client: Client) -> None:
    async def refused(body: dict[str, object], status: int = 400) -> str:
        answer = await call(client, "POST", "/api/dl_fields", json=body, status=status)
        return str(answer["error"])

    assert "not a yt-dlp option" in await refused({"name": "x", "field": "--nope"})
    assert "long option" in await refused({"name": "x", "field": "proxy"})
    assert "not allowed" in await refused({"name": "x", "field": "--exec"})
    assert "takes a value" in await refused({"name": "x", "field": "--proxy", "kind": "bool"})
    assert "takes no value" in await refused({"name": "x", "field": "--write-subs"})
    assert "kind" in await refused({"name": "x", "field": "--proxy", "kind": "number"})
    bad_value = await refused({"name": "x", "field": "--limit-rate", "value": "fast"})
    assert "Failed to parse" in bad_value
    await call(client, "POST", "/api/dl_fields", json={"name": "p", "field": "--proxy"})
    await refused({"name": "p2", "field": "--proxy"}, status=409)
    await call(client, "PATCH", "/api/dl_fields/999", json={"order": 1}, status=404)
    await call(client, "DELETE", "/api/dl_fields/abc", status=400)
