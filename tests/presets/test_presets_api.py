"""Presets over HTTP: CRUD, built-ins, validation and the config_update events."""

from __future__ import annotations

from app.core.wire import EventName
from tests.conftest import EventLog
from tests.integration.helpers import Client, call

BUILTIN_NAMES = [
    "default",
    "audio_mp3",
    "audio_m4a",
    "1080p",
    "720p",
    "mobile_mp4",
    "media_server",
    "nfo_tv",
    "nfo_movie",
]


async def test_builtins_are_listed_first_and_paginated(client: Client) -> None:
    page = await call(client, "GET", "/api/presets/?page=1&per_page=1000")
    assert [p["name"] for p in page["items"]] == BUILTIN_NAMES
    assert all(p["default"] for p in page["items"])
    assert page["pagination"]["total"] == len(BUILTIN_NAMES)
    second = await call(client, "GET", "/api/presets?page=2&per_page=3")
    assert [p["name"] for p in second["items"]] == BUILTIN_NAMES[3:6]
    assert second["pagination"]["has_prev"] and second["pagination"]["has_next"]


async def test_filter_name_is_a_plain_list(client: Client) -> None:
    await call(client, "POST", "/api/presets", json={"name": "mine"})
    names = await call(client, "GET", "/api/presets?filter=name")
    assert names == [{"name": n} for n in [*BUILTIN_NAMES, "mine"]]


async def test_crud_round_trip_with_events(client: Client, events: EventLog) -> None:
    body = {
        "name": "Subs",
        "description": "with subtitles",
        "folder": "subs/here",
        "template": "%(title)s.%(ext)s",
        "cookies": "# Netscape HTTP Cookie File\n",
        "cli": "--write-subs --embed-subs",
        "download_archive": "subs.txt",
        "priority": 3,
    }
    created = await call(client, "POST", "/api/presets", json=body)
    assert created["id"] > 0 and created["default"] is False
    assert {k: created[k] for k in body} == body
    pid = created["id"]
    event = await events.wait_for(lambda e: e.event == EventName.CONFIG_UPDATE)
    assert event.data["feature"] == "presets" and event.data["action"] == "create"
    assert "cookies" not in event.data["data"] and event.data["data"]["has_cookies"] is True

    fetched = await call(client, "GET", f"/api/presets/{pid}")
    assert fetched["cookies"] == body["cookies"]
    listed = await call(client, "GET", "/api/presets")
    mine = next(p for p in listed["items"] if p["id"] == pid)
    assert "cookies" not in mine and mine["has_cookies"] is True

    patched = await call(client, "PATCH", f"/api/presets/{pid}/", json={"description": "new"})
    assert patched["description"] == "new" and patched["cli"] == body["cli"]
    replaced = await call(client, "PUT", f"/api/presets/{pid}", json={"name": "Subs2"})
    assert replaced["name"] == "Subs2" and replaced["cli"] == "" and replaced["folder"] == ""
    actions = [e.data["action"] for e in events.events if e.event == EventName.CONFIG_UPDATE]
    assert actions == ["create", "update", "update"]

    deleted = await call(client, "DELETE", f"/api/presets/{pid}")
    assert deleted["name"] == "Subs2"
    await call(client, "GET", f"/api/presets/{pid}", status=404)
    await events.wait_for(
        lambda e: e.event == EventName.CONFIG_UPDATE and e.data["action"] == "delete"
    )


async def test_errors(client: Client) -> None:
    await call(client, "GET", "/api/presets/999", status=404)
    await call(client, "PATCH", "/api/presets/999", json={"name": "x"}, status=404)
    await call(client, "DELETE", "/api/presets/999", status=404)
    await call(client, "GET", "/api/presets/abc", status=400)
    await call(client, "POST", "/api/presets", json=["no"], status=400)
    await call(client, "POST", "/api/presets", json={"description": "no name"}, status=400)

    await call(client, "POST", "/api/presets", json={"name": "one"})
    other = await call(client, "POST", "/api/presets", json={"name": "two"})
    clash = await call(client, "POST", "/api/presets", json={"name": "ONE"}, status=409)
    assert "already exists" in clash["error"]
    await call(client, "POST", "/api/presets", json={"name": "720p"}, status=409)
    await call(client, "PATCH", f"/api/presets/{other['id']}", json={"name": "one"}, status=409)

    refused = await call(
        client, "POST", "/api/presets", json={"name": "x", "cli": "--exec 'rm -rf /'"}, status=400
    )
    assert "--exec" in refused["error"]
    bad = await call(
        client, "POST", "/api/presets", json={"name": "x", "cli": "--nope"}, status=400
    )
    assert "Failed to parse command options" in bad["error"]
    for field, value in [
        ("folder", "../up"),
        ("folder", "/abs"),
        ("template", "/etc/%(id)s"),
        ("download_archive", "../../a.txt"),
    ]:
        body = {"name": "x", field: value}
        error = await call(client, "POST", "/api/presets", json=body, status=400)
        assert field in error["error"]


async def test_builtins_cannot_change(client: Client) -> None:
    page = await call(client, "GET", "/api/presets")
    builtin = page["items"][0]
    assert builtin["name"] == "default"
    pid = builtin["id"]
    for method in ("PATCH", "PUT"):
        error = await call(client, method, f"/api/presets/{pid}", json={"name": "z"}, status=400)
        assert "cannot be changed" in error["error"]
    await call(client, "DELETE", f"/api/presets/{pid}", status=400)
    assert (await call(client, "GET", f"/api/presets/{pid}"))["name"] == "default"


async def test_configuration_lists_presets(client: Client) -> None:
    await call(client, "POST", "/api/presets", json={"name": "mine", "cookies": "secret"})
    config = await call(client, "GET", "/api/system/configuration")
    names = [p["name"] for p in config["presets"]]
    assert names == [*BUILTIN_NAMES, "mine"]
    assert "secret" not in str(config)
