"""The log file: pages newest first, the live stream, secrets kept out, and the settings."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from app import keys
from app.logs.service import log_file
from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.integration.helpers import call
from tests.system.sse import next_event, sse_events

log = logging.getLogger("app.tests.logs")
TIMEOUT = 60.0
TRACEBACK = '\nTraceback (most recent call last):\n  File "x.py", line 1\nValueError: boom'


def seed_log(settings: Settings, count: int) -> list[str]:
    """A log file written before the server starts: ``count`` entries, every tenth with a
    traceback under it. Returns each entry's text, oldest first."""
    entries = []
    for n in range(count):
        text = f"2026-01-01T00:00:{n % 60:02d}.{n:06d}+00:00 INFO app.seed: entry {n}"
        if n % 10 == 0:
            text += TRACEBACK
        entries.append(text)
    path = log_file(settings.resolved())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(f"{text}\n" for text in entries))
    return entries


async def test_pages_come_newest_first_with_whole_entries(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path)
    entries = seed_log(settings, 250)
    client = await make_client(settings)
    first = await call(client, "GET", "/api/logs?offset=0")
    assert [e["line"] for e in first["logs"]] == entries[::-1][:100]
    assert first["offset"] == 0 and first["limit"] == 100
    assert first["next_offset"] == 100 and first["end_is_reached"] is False
    newest = first["logs"][0]
    assert newest["datetime"] == newest["timestamp"] == "2026-01-01T00:00:09.000249+00:00"
    assert newest["level"] == "INFO" and newest["message"] == "app.seed: entry 249"
    assert len(newest["id"]) == 64
    [with_traceback] = [e for e in first["logs"] if "entry 240" in e["message"]]
    assert with_traceback["line"].endswith("ValueError: boom")

    last = await call(client, "GET", "/api/logs?offset=200&limit=150")
    assert [e["line"] for e in last["logs"]] == entries[::-1][200:]
    assert last["end_is_reached"] is True and last["next_offset"] == 250
    clamped = await call(client, "GET", "/api/logs?limit=1000")
    assert clamped["limit"] == 150 and len(clamped["logs"]) == 150
    beyond = await call(client, "GET", "/api/logs?offset=5000")
    assert beyond["logs"] == [] and beyond["end_is_reached"] is True


@pytest.mark.parametrize("query", ["offset=-1", "offset=x", "limit=0", "limit=ten"])
async def test_bad_paging_is_a_400(client: Client, query: str) -> None:
    answer = await call(client, "GET", f"/api/logs?{query}", status=400)
    assert "error" in answer


async def test_rotated_files_are_read_after_the_current_one(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path)
    path = log_file(settings.resolved())
    path.parent.mkdir(parents=True)
    older = path.with_name(path.name + ".1")
    older.write_text("2026-01-01T00:00:00.000000+00:00 INFO app.x: old\n")
    path.write_text("2026-01-02T00:00:00.000000+00:00 INFO app.x: new\n")
    client = await make_client(settings)
    page = await call(client, "GET", "/api/logs")
    assert [e["message"] for e in page["logs"]] == ["app.x: new", "app.x: old"]


async def test_the_server_writes_its_log_and_reads_it_back(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path)
    first = await make_client(settings)
    log.warning("written by the first server")
    await first.close()  # the file is complete once the server has closed
    second = await make_client(settings)
    page = await call(second, "GET", "/api/logs")
    assert any(e["message"] == "app.tests.logs: written by the first server" for e in page["logs"])
    assert page["logs"][0]["level"] in {"INFO", "WARNING", "ERROR", "DEBUG"}


async def test_the_stream_sends_new_lines(client: Client) -> None:
    response = await client.get("/api/logs/stream")
    assert response.status == 200
    assert response.headers["Content-Type"] == "text/event-stream"
    events = sse_events(response)
    log.warning("a new line for the stream")
    line = await asyncio.wait_for(next_event(events, "log_lines"), TIMEOUT)
    assert line["line"].endswith("WARNING app.tests.logs: a new line for the stream")
    assert set(line) >= {"id", "line", "datetime"}
    assert line["datetime"].endswith("+00:00")
    response.close()


async def test_a_client_that_leaves_is_forgotten(client: Client) -> None:
    feed = client.app[keys.LOGS].feed
    responses = [await client.get("/api/logs/stream") for _ in range(3)]
    await asyncio.wait_for(feed.until_readers(3), TIMEOUT)
    for response in responses:
        response.close()
    await asyncio.wait_for(feed.until_readers(0), TIMEOUT)
    log.warning("nobody is listening")  # nothing queued for anyone


async def test_a_slow_reader_keeps_only_a_bounded_backlog(client: Client) -> None:
    response = await client.get("/api/logs/stream")
    for n in range(2000):  # far more than one reader's queue holds
        log.warning("burst %d", n)
    events = sse_events(response)
    line = await asyncio.wait_for(next_event(events, "log_lines"), TIMEOUT)
    assert "burst" in line["line"]
    response.close()


async def test_secrets_stay_out_of_the_log(tmp_path: Path, make_client: MakeClient) -> None:
    settings = make_settings(tmp_path, auth_username="me", auth_password="hunter2-secret")
    client = await make_client(settings)
    headers = {"Authorization": "Basic bWU6aHVudGVyMi1zZWNyZXQ="}
    response = await client.get("/api/logs/stream", headers=headers)
    assert response.status == 200
    events = sse_events(response)
    log.warning("login with hunter2-secret from /api/x?apikey=bWU6aHVudGVyMi1zZWNyZXQ")
    log.warning("header Authorization: Basic bWU6aHVudGVyMi1zZWNyZXQ= and token=abc123")
    first = await asyncio.wait_for(next_event(events, "log_lines"), TIMEOUT)
    second = await asyncio.wait_for(next_event(events, "log_lines"), TIMEOUT)
    response.close()
    await client.close()
    for line in (first["line"], second["line"]):
        assert "hunter2" not in line and "bWU6aHVudGVyMi1zZWNyZXQ" not in line
        assert "***" in line
    assert "abc123" not in second["line"]
    written = log_file(settings.resolved()).read_text()
    assert "login with" in written
    assert "hunter2" not in written and "bWU6aHVudGVyMi1zZWNyZXQ" not in written


async def test_without_file_logging_there_is_no_log(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(tmp_path, file_logging=False)
    client = await make_client(settings)
    assert (await call(client, "GET", "/api/logs", status=404)) == {
        "error": "File logging is not enabled."
    }
    await call(client, "GET", "/api/logs/stream", status=404)
    log.warning("not written anywhere")
    assert not log_file(settings.resolved()).exists()
    config = await call(client, "GET", "/api/system/configuration")
    assert config["app"]["file_logging"] is False


async def test_the_file_rotates_at_its_size(tmp_path: Path, make_client: MakeClient) -> None:
    settings = make_settings(tmp_path, log_file_size=4096, log_file_count=2)
    client = await make_client(settings)
    for n in range(200):
        log.warning("filler line %d %s", n, "x" * 60)
    await client.close()
    path = log_file(settings.resolved())
    rotated = sorted(p.name for p in path.parent.iterdir())
    assert rotated == ["tubestash.log", "tubestash.log.1", "tubestash.log.2"]
    assert all(p.stat().st_size <= 4096 for p in path.parent.iterdir())
