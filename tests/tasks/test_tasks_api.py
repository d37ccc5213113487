"""/api/tasks over loopback: CRUD, the multi-task POST, runs that queue only what is new
(generic yt-dlp handler and RSS/Atom feeds), inspect, mark, metadata and the timer."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp

from app.settings import Settings
from tests.definitions.test_definitions_api import SMALL, html_definition
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, call


async def _grow(site: FixtureSite, n: int) -> None:
    async with (
        aiohttp.ClientSession() as session,
        session.post(site.url(f"/control/grow?n={n}")) as answer,
    ):
        assert answer.status == 200


def _task(site: FixtureSite, name: str, path: str, **fields: Any) -> dict[str, Any]:
    return {"name": name, "url": site.url(path), "auto_start": False, **fields}


async def _run(client: Client, task_id: int) -> dict[str, Any]:
    answer: dict[str, Any] = await call(client, "POST", f"/api/tasks/{task_id}/run")
    assert answer["status"] == "ok", answer
    return answer


async def test_crud_conflict_and_the_multi_task_post(
    client: Client, fixture_site: FixtureSite
) -> None:
    first = _task(fixture_site, "First", "/playlist/pl-small", timer="55 3 * * *")
    batch = [
        first,
        {"url": fixture_site.url("/watch/v-basic")},
        {"url": fixture_site.url("/watch/no-such-video"), "folder": "other"},
    ]
    created = await call(client, "POST", "/api/tasks", json=batch)
    assert [t["name"] for t in created] == ["First", "Basic fixture video", "task-2"]
    assert [t["timer"] for t in created] == ["55 3 * * *", "0 4 * * *", "5 4 * * *"]
    assert created[2]["folder"] == "other" and created[1]["auto_start"] is False

    again = await call(client, "POST", "/api/tasks", json=first, status=409)
    assert "already exists" in again["error"]
    page = await call(client, "GET", "/api/tasks?per_page=2")
    assert page["pagination"]["total"] == 3 and len(page["items"]) == 2
    assert "cookies" not in page["items"][0] and page["items"][0]["run"]["next_run"]

    task_id = created[0]["id"]
    patched = await call(client, "PATCH", f"/api/tasks/{task_id}", json={"timer": ""})
    assert patched["timer"] == "" and patched["name"] == "First"
    assert (await call(client, "GET", f"/api/tasks/{task_id}"))["run"]["next_run"] is None
    await call(client, "PATCH", f"/api/tasks/{task_id}", json={"timer": "bad"}, status=400)
    await call(
        client,
        "PUT",
        f"/api/tasks/{task_id}",
        json={"name": "Basic fixture video", "url": fixture_site.url("/x")},
        status=409,
    )
    await call(client, "DELETE", f"/api/tasks/{task_id}")
    await call(client, "GET", f"/api/tasks/{task_id}", status=404)
    await call(client, "GET", "/api/tasks/abc", status=400)


async def test_a_playlist_run_queues_only_what_is_new(
    client: Client, fixture_site: FixtureSite
) -> None:
    await _grow(fixture_site, 3)
    task = await call(
        client, "POST", "/api/tasks", json=_task(fixture_site, "Grow", "/playlist/pl-grow")
    )
    marked = await call(client, "POST", f"/api/tasks/{task['id']}/mark")
    assert "Marked 3" in marked["message"]
    await _grow(fixture_site, 5)
    first = await _run(client, task["id"])
    assert (first["found"], first["queued"]) == (5, 2)
    second = await _run(client, task["id"])
    assert second["queued"] == 0  # the two are queued already; the three archived
    unmarked = await call(client, "DELETE", f"/api/tasks/{task['id']}/mark")
    assert "Removed 3" in unmarked["message"]
    shown = await call(client, "GET", f"/api/tasks/{task['id']}")
    assert shown["run"]["last_status"] == "ok" and shown["run"]["last_run"]


async def test_rss_and_atom_feeds(client: Client, fixture_site: FixtureSite) -> None:
    await _grow(fixture_site, 2)
    for path in ("/feeds/grow.xml", "/feeds/grow.atom"):
        body = {"url": fixture_site.url(path)}
        inspected = await call(client, "POST", "/api/tasks/inspect", json=body)
        assert inspected["handler"] == "FeedTaskHandler", inspected
        assert [i["archive_id"] for i in inspected["items"]] == [
            "tubestashfixture gen-0001",
            "tubestashfixture gen-0002",
        ]
    rss = await call(client, "POST", "/api/tasks", json=_task(fixture_site, "R", "/feeds/grow.xml"))
    assert (await _run(client, rss["id"]))["queued"] == 2
    assert (await _run(client, rss["id"]))["queued"] == 0


async def test_inspect_static_and_plain_add(client: Client, fixture_site: FixtureSite) -> None:
    body = {"url": fixture_site.url("/playlist/pl-small"), "static_only": True}
    answer = await call(client, "POST", "/api/tasks/inspect", json=body)
    assert answer == {"items": [], "metadata": {"matched": True, "handler": "GenericTaskHandler"}}
    body = {"url": fixture_site.url("/playlist/pl-small"), "handler": "Nope"}
    failed = await call(client, "POST", "/api/tasks/inspect", json=body, status=400)
    assert failed["matched"] is False and failed["error"]
    plain = _task(fixture_site, "Plain", "/watch/v-second", handler_enabled=False)
    task = await call(client, "POST", "/api/tasks", json=plain)
    assert (await _run(client, task["id"]))["queued"] == 1


async def test_metadata_files_in_the_task_folder(
    client: Client, fixture_site: FixtureSite, settings: Settings
) -> None:
    body = _task(fixture_site, "Show", "/channel/ch-test", folder="shows/fixture")
    task = await call(client, "POST", "/api/tasks", json=body)
    answer = await call(client, "POST", f"/api/tasks/{task['id']}/metadata")
    assert answer["nfo_file"] == "shows/fixture/tvshow.nfo"
    assert answer["json_file"] == "shows/fixture/Fixture Channel [ch-test].info.json"
    root = settings.resolved().download_path
    assert b"<title>Fixture Channel</title>" in (root / answer["nfo_file"]).read_bytes()
    assert (root / answer["json_file"]).is_file()


async def test_a_timer_due_within_a_second_runs(client: Client, fixture_site: FixtureSite) -> None:
    await _grow(fixture_site, 1)
    body = _task(fixture_site, "Tick", "/feeds/grow.xml", timer="* * * * * *")
    task = await call(client, "POST", "/api/tasks", json=body)
    for _ in range(200):
        shown = await call(client, "GET", f"/api/tasks/{task['id']}")
        if shown["run"]["last_run"]:
            break
        await asyncio.sleep(0.1)
    assert shown["run"]["last_status"] == "ok", shown
    await call(client, "PATCH", f"/api/tasks/{task['id']}", json={"enabled": False})


async def test_a_task_whose_url_a_definition_matches_uses_it(
    client: Client, fixture_site: FixtureSite
) -> None:
    definition = {"name": "listings", "definition": html_definition(fixture_site)}
    await call(client, "POST", "/api/tasks/definitions/", json=definition)
    body = {"url": fixture_site.url("/listing/pl-small")}
    inspected = await call(client, "POST", "/api/tasks/inspect", json=body)
    assert inspected["handler"] == "TaskDefinition", inspected
    assert [i["archive_id"] for i in inspected["items"]] == [f"fixture {v}" for v in SMALL]
    task = await call(
        client, "POST", "/api/tasks", json=_task(fixture_site, "L", "/listing/pl-small")
    )
    assert (await _run(client, task["id"]))["queued"] == 3
    assert (await _run(client, task["id"]))["queued"] == 0
