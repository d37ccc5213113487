"""Hostile sizes and depths are a 4xx (or an error frame), never a 500, and change nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.integration.helpers import Client, call

DEEP = "[" * 50_000 + "]" * 50_000
LONG_INT = "9" * 5_000
HUGE = [1e23, 2**63, -(2**63) - 1, 10**30]


async def post_raw(client: Client, method: str, path: str, body: str) -> Any:
    response = await client.request(
        method, path, data=body.encode(), headers={"Content-Type": "application/json"}
    )
    text = await response.text()
    assert 400 <= response.status < 500, f"{method} {path}: {response.status} {text}"
    return json.loads(text)


async def nothing_stored(client: Client) -> None:
    assert await call(client, "GET", "/api/history/live") == {"queue": {}, "history_count": 0}
    presets = await call(client, "GET", "/api/presets?per_page=1000")
    assert all(p["default"] for p in presets["items"])
    assert (await call(client, "GET", "/api/conditions"))["items"] == []
    assert (await call(client, "GET", "/api/dl_fields"))["items"] == []


BODY_ROUTES = [
    ("POST", "/api/history"),
    ("DELETE", "/api/history"),
    ("POST", "/api/history/some-id"),
    ("POST", "/api/history/start"),
    ("POST", "/api/presets"),
    ("PATCH", "/api/presets/1"),
    ("POST", "/api/conditions"),
    ("POST", "/api/dl_fields"),
    ("POST", "/api/archiver"),
]


@pytest.mark.parametrize(("method", "path"), BODY_ROUTES)
@pytest.mark.parametrize(
    ("body", "message"),
    [
        (DEEP, "nests deeper than"),
        ('{"a": ' * 40 + "1" + "}" * 40, "nests deeper than"),
        (LONG_INT, "number that is too long"),
        ('{"url": "http://x/a", "priority": ' + LONG_INT + "}", "number that is too long"),
    ],
)
async def test_bodies_are_bounded(
    client: Client, method: str, path: str, body: str, message: str
) -> None:
    answer = await post_raw(client, method, path, body)
    assert message in answer["error"]
    await nothing_stored(client)


@pytest.mark.parametrize("value", HUGE)
@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/presets", {"name": "p"}, "priority"),
        ("/api/conditions", {"name": "c", "filter": "duration > 1"}, "priority"),
        ("/api/dl_fields", {"name": "f", "field": "--proxy"}, "order"),
    ],
)
async def test_integers_fit_sqlite(
    client: Client, path: str, body: dict[str, Any], field: str, value: float
) -> None:
    answer = await call(client, "POST", path, 400, json={**body, field: value})
    assert field in answer["error"]
    await nothing_stored(client)


@pytest.mark.parametrize("value", HUGE)
async def test_integers_fit_sqlite_on_change(client: Client, value: float) -> None:
    preset = await call(client, "POST", "/api/presets", json={"name": "p", "priority": 3})
    for method in ("PATCH", "PUT"):
        body = {"name": "p", "priority": value}
        await call(client, method, f"/api/presets/{preset['id']}", 400, json=body)
    assert (await call(client, "GET", f"/api/presets/{preset['id']}"))["priority"] == 3


@pytest.mark.parametrize(
    "query",
    [
        "type=done&page=99999999999999999999",
        "type=queue&page=99999999999999999999",
        "type=done&page=1000000001",
        f"type=done&page={LONG_INT}",
        f"type=done&per_page={LONG_INT}",
        "type=done&page=1e23",
    ],
)
async def test_page_numbers_are_bounded(client: Client, query: str) -> None:
    answer = await call(client, "GET", f"/api/history?{query}", 400)
    assert "page" in answer["error"]


@pytest.mark.parametrize("path", ["/api/presets", "/api/conditions", "/api/dl_fields"])
@pytest.mark.parametrize("ident", ["99999999999999999999", "-99999999999999999999", "1" * 400])
async def test_ids_are_bounded(client: Client, path: str, ident: str) -> None:
    for method in ("GET", "DELETE"):
        response = await client.request(method, f"{path}/{ident}")
        assert 400 <= response.status < 500, await response.text()


@pytest.mark.parametrize(
    "name", ["a" * 5_000, "d/" + "é" * 128 + ".mp4", "x" * 256, "a" * 300 + "/b.mp4"]
)
async def test_long_download_names(client: Client, name: str) -> None:
    response = await client.get(f"/api/download/{name}")
    assert response.status == 400, await response.text()
    assert "longer than 255 bytes" in (await response.json())["error"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"download_archive": "."}, "download_archive"),
        ({"download_archive": "./"}, "download_archive"),
        ({"download_archive": "a/b.txt"}, "download_archive"),
        ({"download_archive": "..\\x.txt"}, "download_archive"),
        ({"download_archive": "a" * 300}, "download_archive"),
        ({"folder": "a" * 300}, "folder"),
        ({"template": "b" * 300 + "%(title)s.%(ext)s"}, "template"),
        ({"name": "n" * 5_000}, "name"),
    ],
)
async def test_preset_paths_are_names_a_file_system_takes(
    client: Client, fields: dict[str, Any], message: str
) -> None:
    answer = await call(client, "POST", "/api/presets", 400, json={"name": "p", **fields})
    assert message in answer["error"]
    await nothing_stored(client)


async def test_a_plain_archive_name_is_fine(client: Client) -> None:
    body = {"name": "p", "download_archive": "videos.txt"}
    preset = await call(client, "POST", "/api/presets", json=body)
    assert preset["download_archive"] == "videos.txt"


@pytest.mark.parametrize(
    "item",
    [
        {"url": "http://x/" + "a" * 9_000},
        {"url": "http://x/a", "folder": "a" * 300},
        {"url": "http://x/a", "folder": "ok/" + "b" * 256},
        {"url": "http://x/a", "template": "c" * 256 + "/%(title)s.%(ext)s"},
        {"url": "http://x/a", "cli": "-P " + "d" * 300},
    ],
)
async def test_add_refuses_names_too_long(client: Client, item: dict[str, Any]) -> None:
    await call(client, "POST", "/api/history", 400, json=item)
    await nothing_stored(client)


async def test_deeply_nested_filter_is_4xx(client: Client) -> None:
    body = {"name": "c", "filter": "(" * 2_000 + "duration > 1" + ")" * 2_000}
    response = await client.post("/api/conditions", json=body)
    assert 400 <= response.status < 500
    await nothing_stored(client)


async def test_a_deep_ws_frame_is_an_error_frame(client: Client) -> None:
    ws = await client.ws_connect("/ws")
    try:
        first = await ws.receive_json(timeout=30)
        assert first["event"] == "connected"
        await ws.send_str('{"event": "add_url", "data": ' + DEEP + "}")
        error = await ws.receive_json(timeout=30)
        assert error["event"] == "log_error"
        assert "nests deeper than" in error["data"]["message"]
        await ws.send_str('{"event": "add_url", "data": {"url": "javascript:alert(1)"}}')
        refused = await ws.receive_json(timeout=30)
        assert not ws.closed
        assert refused["data"]["data"]["status"] == "error"
    finally:
        await ws.close()
    await nothing_stored(client)
