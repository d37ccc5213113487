"""/api/archiver: reading, appending and removing ids in a preset's archive file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings
from tests.integration.helpers import Client, call

ARCHIVE = "keep.txt"


@pytest.fixture
async def archive(client: Client, settings: Settings) -> Path:
    await call(client, "POST", "/api/presets", json={"name": "kept", "download_archive": ARCHIVE})
    return settings.resolved().config_path / "archives" / ARCHIVE


async def test_add_read_and_remove(client: Client, archive: Path) -> None:
    empty = await call(client, "GET", "/api/archiver?preset=kept")
    assert empty == {"file": str(archive), "items": [], "count": 0}

    body = {"preset": "kept", "items": ["youtube AAA", "vimeo BBB"]}
    added = await call(client, "POST", "/api/archiver", json=body)
    assert added == {"file": str(archive), "status": True, "items": ["youtube AAA", "vimeo BBB"]}
    assert archive.read_text() == "youtube AAA\nvimeo BBB\n"

    await call(client, "POST", "/api/archiver", json=body, status=304)
    again = {"preset": "kept", "items": ["vimeo BBB", "youtube CCC"]}
    added = await call(client, "POST", "/api/archiver", json=again)
    assert added["items"] == ["youtube CCC"]

    found = await call(client, "GET", "/api/archiver?preset=kept&ids=youtube%20CCC,nope%20x")
    assert found["items"] == ["youtube CCC"] and found["count"] == 1
    every = await call(client, "GET", "/api/archiver", params={"preset": "kept"})
    assert every["count"] == 3

    gone = {"preset": "kept", "items": ["youtube AAA", "other ZZZ"]}
    removed = await call(client, "DELETE", "/api/archiver", json=gone)
    assert removed == {"file": str(archive), "status": True, "items": ["youtube AAA"]}
    assert archive.read_text() == "vimeo BBB\nyoutube CCC\n"
    await call(client, "DELETE", "/api/archiver", json=gone, status=304)
    assert [p.name for p in archive.parent.iterdir()] == [ARCHIVE]  # no temporary left


async def test_append_keeps_lines_of_a_hand_written_file(client: Client, archive: Path) -> None:
    archive.write_text("youtube AAA")  # no final newline
    body = {"preset": "kept", "items": ["youtube BBB"], "skip_check": True}
    await call(client, "POST", "/api/archiver", json=body)
    assert archive.read_text() == "youtube AAA\nyoutube BBB\n"


@pytest.mark.parametrize(
    ("method", "body", "error"),
    [
        ("POST", {"items": ["youtube A"]}, "preset is required."),
        ("POST", {"preset": "nope", "items": ["youtube A"]}, "Preset 'nope' not found."),
        (
            "POST",
            {"preset": "default", "items": ["youtube A"]},
            "Preset 'default' does not provide a download_archive.",
        ),
        ("POST", {"preset": "kept", "items": []}, "items is required"),
        ("POST", {"preset": "kept", "items": "youtube A"}, "items is required"),
        ("POST", {"preset": "kept", "items": ["youtube A", "one"]}, "Invalid archive id 'one'"),
        ("POST", {"preset": "kept", "items": ["a b c"]}, "Invalid archive id 'a b c'"),
        ("POST", {"preset": "kept", "items": ["a\nb c"]}, "Invalid archive id"),
        ("POST", {"preset": "kept", "items": ["y A"], "skip_check": "no"}, "skip_check"),
        ("DELETE", {"preset": "kept", "items": []}, "items is required"),
        ("DELETE", {"preset": "kept", "items": [1]}, "Invalid archive id 1"),
        ("DELETE", ["kept"], "must be a JSON object"),
    ],
)
async def test_bad_input_is_refused_and_changes_nothing(
    client: Client, archive: Path, method: str, body: object, error: str
) -> None:
    archive.write_text("youtube A\n")
    answer = await call(client, method, "/api/archiver", json=body, status=400)
    assert error in answer["error"]
    assert archive.read_text() == "youtube A\n"


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "preset is required."),
        ("?preset=nope", "Preset 'nope' not found."),
        ("?preset=default", "Preset 'default' does not provide a download_archive."),
    ],
)
async def test_read_needs_a_preset_with_an_archive(client: Client, query: str, error: str) -> None:
    answer = await call(client, "GET", f"/api/archiver{query}", status=400)
    assert answer == {"error": error}
