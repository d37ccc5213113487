"""GET /api/file/browser/{path}: sorting, search, paging over a folder made here; 404,
400 and 403 as the seed says; nothing outside the root is ever listed."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

import pytest

from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.files.helpers import listing, names, touch
from tests.integration.helpers import call


@pytest.fixture
def folder(root: Path) -> Path:
    """Three files of known sizes and dates, and two folders."""
    touch(root / "b-middle.mp4", b"x" * 300, mtime=2_000_000_000)
    touch(root / "A-first.en.vtt", b"x" * 100, mtime=1_900_000_000)
    touch(root / "c-last.nfo", b"x" * 200, mtime=1_800_000_000)
    touch(root / ".hidden", b"x")
    (root / "zeta").mkdir()
    (root / "Alpha").mkdir()
    return root


async def test_entries_carry_the_seed_fields(client: Client, folder: Path) -> None:
    answer = await listing(client)
    assert answer["path"] == "/"
    entry = next(e for e in answer["contents"] if e["name"] == "b-middle.mp4")
    assert entry["type"] == "file" and entry["content_type"] == "video"
    assert entry["path"] == "/b-middle.mp4" and entry["size"] == 300
    assert entry["mime"] == "video/mp4"
    assert entry["mtime"] == "2033-05-18T03:33:20+00:00"
    assert entry["ctime"].endswith("+00:00")
    assert (entry["is_dir"], entry["is_file"], entry["is_symlink"]) == (False, True, False)
    kinds = {e["name"]: e["content_type"] for e in answer["contents"]}
    assert kinds == {
        "Alpha": "dir",
        "zeta": "dir",
        "A-first.en.vtt": "subtitle",
        "b-middle.mp4": "video",
        "c-last.nfo": "metadata",
    }
    folder_entry = next(e for e in answer["contents"] if e["name"] == "zeta")
    assert folder_entry["type"] == "dir" and folder_entry["mime"] == "directory"


@pytest.mark.parametrize(
    ("sort_by", "order", "expected"),
    [
        ("name", "asc", ["Alpha", "zeta", "A-first.en.vtt", "b-middle.mp4", "c-last.nfo"]),
        ("name", "desc", ["zeta", "Alpha", "c-last.nfo", "b-middle.mp4", "A-first.en.vtt"]),
        ("size", "asc", ["A-first.en.vtt", "c-last.nfo", "b-middle.mp4"]),
        ("size", "desc", ["b-middle.mp4", "c-last.nfo", "A-first.en.vtt"]),
        ("date", "asc", ["c-last.nfo", "A-first.en.vtt", "b-middle.mp4"]),
        ("date", "desc", ["b-middle.mp4", "A-first.en.vtt", "c-last.nfo"]),
        ("type", "asc", ["c-last.nfo", "A-first.en.vtt", "b-middle.mp4"]),
    ],
)
async def test_sorting_keeps_folders_first(
    client: Client, folder: Path, sort_by: str, order: str, expected: list[str]
) -> None:
    answer = names(await listing(client, sort_by=sort_by, sort_order=order))
    assert answer[:2] in (["Alpha", "zeta"], ["zeta", "Alpha"])
    if len(expected) == 5:
        assert answer == expected
    else:
        assert answer[2:] == expected


async def test_search_is_case_insensitive_and_paged(client: Client, folder: Path) -> None:
    assert names(await listing(client, search="MP4")) == ["b-middle.mp4"]
    assert names(await listing(client, search="FIRST")) == ["A-first.en.vtt"]
    assert names(await listing(client, search="ta")) == ["zeta"]
    answer = await listing(client, search="nothing-like-this")
    assert answer["contents"] == []
    assert answer["pagination"]["total"] == 0 and answer["pagination"]["total_pages"] == 1


async def test_pages(client: Client, root: Path) -> None:
    for index in range(25):
        touch(root / "many" / f"file-{index:02}.txt")
    first = await listing(client, "many", page=1, per_page=10)
    assert first["path"] == "/many"
    assert names(first) == [f"file-{i:02}.txt" for i in range(10)]
    assert first["contents"][0]["path"] == "/many/file-00.txt"
    assert first["pagination"] == {
        "page": 1,
        "per_page": 10,
        "total": 25,
        "total_pages": 3,
        "has_next": True,
        "has_prev": False,
    }
    last = await listing(client, "many", page=3, per_page=10)
    assert names(last) == [f"file-{i:02}.txt" for i in range(20, 25)]
    assert last["pagination"]["has_next"] is False and last["pagination"]["has_prev"] is True
    beyond = await listing(client, "many", page=9, per_page=10)
    assert beyond["contents"] == []
    await call(client, "GET", "/api/file/browser/many?per_page=1001", 400)
    await call(client, "GET", "/api/file/browser/many?per_page=0", 400)
    await call(client, "GET", "/api/file/browser/many?page=x", 400)
    await call(client, "GET", "/api/file/browser/many?sort_by=colour", 400)
    await call(client, "GET", "/api/file/browser/many?sort_order=up", 400)
    full = await listing(client, "many", per_page=1000)
    assert len(full["contents"]) == 25


async def test_default_page_size_is_the_setting(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(make_settings(tmp_path, default_pagination=7))
    root = tmp_path / "downloads"
    for index in range(10):
        touch(root / f"{index}.txt")
    answer = await listing(client)
    assert len(answer["contents"]) == 7 and answer["pagination"]["per_page"] == 7


async def test_a_change_shows_at_once(client: Client, root: Path) -> None:
    """The listing cache is keyed by the folder's own stat: a new file is listed."""
    for index in range(1500):  # big enough to be cached
        touch(root / "big" / f"{index:05}.bin")
    assert (await listing(client, "big"))["pagination"]["total"] == 1500
    touch(root / "big" / "00000-new.bin")
    answer = await listing(client, "big", per_page=2)
    assert answer["pagination"]["total"] == 1501
    assert names(answer) == ["00000-new.bin", "00000.bin"]
    (root / "big" / "00000.bin").unlink()
    assert names(await listing(client, "big", per_page=2)) == ["00000-new.bin", "00001.bin"]


async def test_missing_is_404_and_a_file_is_400(client: Client, folder: Path) -> None:
    answer = await call(client, "GET", "/api/file/browser/nowhere", 404)
    assert answer == {"error": "path 'nowhere' does not exist."}
    answer = await call(client, "GET", "/api/file/browser/b-middle.mp4", 400)
    assert answer == {"error": "path 'b-middle.mp4' is not a directory."}


async def test_root_spellings(client: Client, folder: Path) -> None:
    for path in ("/api/file/browser/", "/api/file/browser", "/api/file/browser/%2F"):
        answer = await call(client, "GET", path + "?sort_by=name")
        assert answer["path"] == "/" and len(answer["contents"]) == 5, path


async def test_disabled_browser_is_403(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(make_settings(tmp_path, browser_enabled=False))
    answer = await call(client, "GET", "/api/file/browser/", 403)
    assert answer == {"error": "File browser is disabled."}
    config = await call(client, "GET", "/api/system/configuration")
    assert config["app"]["browser_enabled"] is False


@pytest.mark.parametrize(
    "path",
    [
        "..",
        "../outside",
        "%2e%2e/outside",
        "%2E%2E%2Foutside",
        "..%5Coutside",
        "a/../../outside",
        "linked-out",
        "linked-out/",
        "%00",
        "x%00y",
    ],
)
async def test_never_lists_outside_the_root(
    client: Client, root: Path, outside: Path, path: str
) -> None:
    (root / "a").mkdir()
    (root / "linked-out").symlink_to(outside)
    response = await client.get(f"/api/file/browser/{path}")
    assert response.status in (400, 404), path
    assert b"secret" not in await response.read()


async def test_absolute_paths_name_the_root(client: Client, root: Path, outside: Path) -> None:
    """A leading / is the download root (entries say /name): /outside is root/outside."""
    response = await client.get("/api/file/browser/" + quote(str(outside), safe=""))
    assert response.status == 404
    assert b"secret" not in await response.read()


async def test_links_out_of_the_root_are_not_listed(
    client: Client, root: Path, outside: Path, settings: Settings
) -> None:
    touch(root / "inside.txt")
    (root / "to-outside").symlink_to(outside)
    (root / "to-secret.txt").symlink_to(outside / "secret.txt")
    (root / "to-inside.txt").symlink_to(root / "inside.txt")
    (root / "broken").symlink_to(root / "nothing")
    os.mkfifo(root / "pipe")
    answer = await listing(client)
    assert names(answer) == ["inside.txt", "to-inside.txt"]
    assert answer["contents"][1]["is_symlink"] is True
