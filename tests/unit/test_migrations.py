"""Migrations are numbered 1, 2, 3... without gaps: a database remembers only the highest
number it ran (PRAGMA user_version), so a file slipped in below it would never run."""

from __future__ import annotations

import sqlite3
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "app" / "migrations"


def test_numbers_run_without_gaps() -> None:
    numbers = sorted(int(path.name.split("_", 1)[0]) for path in MIGRATIONS.glob("*.sql"))
    assert numbers == list(range(1, len(numbers) + 1))


def test_already_downloaded_seeks_an_index() -> None:
    db = sqlite3.connect(":memory:")
    for path in sorted(MIGRATIONS.glob("*.sql")):
        db.executescript(path.read_text())
    plan = db.execute(
        "EXPLAIN QUERY PLAN SELECT DISTINCT i.extractor, i.video_id FROM (VALUES (?, ?))"
        " AS wanted JOIN items AS i ON i.extractor = wanted.column1"
        " AND i.video_id = wanted.column2 WHERE i.location = 'done' AND i.status = 'finished'",
        ("youtube", "abc"),
    ).fetchall()
    assert any("items_finished_identity" in str(step) for step in plan), plan
