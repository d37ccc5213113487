"""Start-up never hangs: damaged rows are set aside and the rest loads; a database SQLite
cannot use, or any other failure, ends the process with one line on stderr.

Every test runs the real server as a process, with subprocess timeouts as the bound.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests

from app.core.db import Database
from tests.fixtures.pytest_plugin import PLUGIN_DIR
from tests.server_process import ROOT, ServerProcess, free_port

pytestmark = pytest.mark.slow

BOUND = 60  # seconds any start-up may take to answer or to end


def env(data: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(PLUGIN_DIR), str(ROOT)]),
        "YTP_PORT": str(free_port()),
        "YTP_CONFIG_PATH": str(data / "config"),
        "YTP_DOWNLOAD_PATH": str(data / "downloads"),
        "YTP_TEMP_PATH": str(data / "tmp"),
        "YTP_LOG_LEVEL": "WARNING",
        **extra,
    }


def run_until_exit(data: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py")],
        cwd=ROOT,
        env=env(data, **extra),
        capture_output=True,
        text=True,
        timeout=BOUND,
    )


def assert_one_line_exit(result: subprocess.CompletedProcess[str], *words: str) -> str:
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0]
    return lines[0]


def db_file(data: Path) -> Path:
    return data / "config" / "tubestash.db"


def make_database(data: Path) -> Path:
    """An empty database of the current schema, made by the server's own code."""

    async def make() -> None:
        db = await Database.open(path)
        await db.close()

    path = db_file(data)
    asyncio.run(make())
    return path


def item_json(uid: str, status: str, **fields: Any) -> str:
    return json.dumps(
        {"_id": uid, "url": f"http://127.0.0.1:9/{uid}.mp4", "status": status, **fields}
    )


def insert(path: Path, sql: str, *params: Any) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(sql, params)


def add_item(path: Path, uid: str, location: str, data: str) -> None:
    insert(
        path,
        "INSERT INTO items (id, location, status, created_ns, data) VALUES (?, ?, 'pending', ?, ?)",
        uid,
        location,
        time.time_ns(),
        data,
    )


def damage_everything(path: Path) -> None:
    """Good rows and bad ones of every table start-up loads."""
    insert(path, "INSERT INTO state (key, value) VALUES ('paused', '1')")  # nothing downloads
    add_item(path, "good-queued", "queue", item_json("good-queued", "pending"))
    add_item(path, "bad-json", "queue", '{"_id": "bad-json", "url": ')
    add_item(path, "bad-fields", "queue", item_json("bad-fields", "someday", url=5))
    add_item(path, "good-done", "done", item_json("good-done", "finished"))
    add_item(path, "bad-done", "done", "{not json")
    presets = "INSERT INTO presets (name, folder, cli) VALUES (?, ?, ?)"
    insert(path, presets, "good preset", "music", "--no-mtime")
    insert(path, presets, "escaping preset", "../../etc", "")  # the folder leaves the root
    insert(path, presets, "exec preset", "", "--exec 'rm -rf ~'")  # refused by the policy
    conditions = "INSERT INTO conditions (name, filter, extras) VALUES (?, ?, ?)"
    insert(path, conditions, "good condition", "duration > 600", "{}")
    insert(path, conditions, "old filter", "duration >> 5", "{}")  # the parser is stricter
    insert(path, conditions, "evil regex", "title ~= '(a)\\1'", "{}")  # not RE2
    insert(path, conditions, "broken extras", "is_live", "[1")
    insert(path, conditions, "gone preset", "is_live", '{"preset": "escaping preset"}')
    fields = "INSERT INTO dl_fields (name, field, kind, extras) VALUES (?, ?, ?, ?)"
    insert(path, fields, "Proxy", "--proxy", "text", "{}")
    insert(path, fields, "Broken", "--limit-rate", "text", "nope")
    insert(path, fields, "Gone", "--no-such-option", "text", "{}")
    insert(path, fields, "Exec", "--exec", "text", "{}")


def quarantined(path: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT source, row_id FROM quarantine ORDER BY id").fetchall()
    return [(source, row_id) for source, row_id in rows]


def test_bad_rows_are_set_aside_once_and_the_rest_loads(tmp_path: Path) -> None:
    data = tmp_path / "data"
    path = make_database(data)
    damage_everything(path)
    with ServerProcess(data) as server:
        live = server.get("/api/history/live")
        assert list(live["queue"]) == ["good-queued"]
        assert live["history_count"] == 1
        done = server.get("/api/history?type=done")
        assert [item["_id"] for item in done["items"]] == ["good-done"]
        presets = server.get("/api/presets?per_page=100")["items"]
        names = [p["name"] for p in presets if not p["default"]]
        assert names == ["good preset"]
        conditions = server.get("/api/conditions")["items"]
        assert [c["name"] for c in conditions] == ["good condition"]
        assert [f["field"] for f in server.get("/api/dl_fields/")["items"]] == ["--proxy"]

        # A second server on the same data is refused in one line, not left hanging.
        second = run_until_exit(data)
        assert_one_line_exit(second, "another Tubestash", str(data / "config"))
    log = (data / "server.log").read_text()
    aside = quarantined(path)
    assert sorted(aside) == sorted(
        [
            ("items", "bad-json"),
            ("items", "bad-fields"),
            ("items", "bad-done"),
            ("presets", "2"),
            ("presets", "3"),
            ("conditions", "2"),
            ("conditions", "3"),
            ("conditions", "4"),
            ("conditions", "5"),
            ("dl_fields", "2"),
            ("dl_fields", "3"),
            ("dl_fields", "4"),
        ]
    )
    for source, row_id in aside:
        assert log.count(f"{source} row {row_id} does not load") == 1
    assert "rm -rf" not in log  # reasons name the problem, the log does not copy rows

    # Set aside means moved: the next start-up is quiet and loads the same.
    with ServerProcess(data) as server:
        assert list(server.get("/api/history/live")["queue"]) == ["good-queued"]
    assert (data / "server.log").read_text() == log
    assert quarantined(path) == aside


def test_a_file_that_is_not_a_database_ends_start_up_in_one_line(tmp_path: Path) -> None:
    path = db_file(tmp_path)
    path.parent.mkdir(parents=True)
    garbage = os.urandom(20_000)
    path.write_bytes(garbage)
    assert_one_line_exit(run_until_exit(tmp_path), str(path), "not a database")
    assert path.read_bytes() == garbage  # user data is never deleted or rewritten


def test_a_truncated_database_ends_start_up_in_one_line(tmp_path: Path) -> None:
    path = make_database(tmp_path)
    os.truncate(path, 3000)
    assert_one_line_exit(run_until_exit(tmp_path), str(path), "malformed")
    assert path.stat().st_size == 3000


def corrupt_pages(data: Path) -> Path:
    """A database whose first pages (schema) are sound and whose item pages are not: it
    opens, and fails only while start-up loads it (the queue: history is read page by page
    when asked, never whole at start-up), with connections already open."""
    path = make_database(data)
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        for n in range(400):
            conn.execute(
                "INSERT INTO items (id, location, status, created_ns, data) "
                "VALUES (?, 'queue', 'pending', ?, ?)",
                (f"h{n}", n, item_json(f"h{n}", "pending", auto_start=False, title="x" * 1000)),
            )
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(size // 2)
        file.write(os.urandom(size // 5))
    return path


@pytest.mark.parametrize("base_path", ["/", "/tube"])
def test_a_database_damaged_inside_ends_start_up_in_one_line(
    tmp_path: Path, base_path: str
) -> None:
    path = corrupt_pages(tmp_path)
    result = run_until_exit(tmp_path, YTP_BASE_PATH=base_path)
    assert_one_line_exit(result, str(path), "malformed")


def test_a_taken_port_ends_start_up_in_one_line(tmp_path: Path) -> None:
    # Every resource is open when the port is refused: all of it must be closed again.
    with ServerProcess(tmp_path / "first") as first:
        result = run_until_exit(tmp_path / "second", YTP_PORT=str(first.port))
    assert_one_line_exit(result, "start-up failed")


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_sigterm_during_start_up_ends_the_process(tmp_path: Path, delay: float) -> None:
    """Whatever start-up is doing when SIGTERM comes (importing, opening, loading a big
    queue), the process ends and leaves no child behind."""
    path = make_database(tmp_path)
    with sqlite3.connect(path) as conn:  # a queue big enough that loading it takes a moment
        conn.executemany(
            "INSERT INTO items (id, location, status, created_ns, data) "
            "VALUES (?, 'queue', 'pending', ?, ?)",
            [(f"q{n}", n, item_json(f"q{n}", "pending", auto_start=False)) for n in range(5000)],
        )
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py")],
        cwd=ROOT,
        env=env(tmp_path),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        process.wait(timeout=delay)  # a bound, not a sleep: it may also end by itself
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=BOUND)
    assert process.returncode in (0, -signal.SIGTERM), stderr
    assert "Traceback" not in stderr


def test_sigterm_after_start_up_stops_cleanly(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path)
    server.start()
    assert server.process is not None
    server.process.send_signal(signal.SIGTERM)
    assert server.process.wait(timeout=BOUND) == 0
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{server.base_url}/api/ping", timeout=1)
