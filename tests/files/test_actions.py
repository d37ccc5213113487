"""POST /api/file/actions: each action's success and refusal, each reported on its own;
nothing outside the root is touched, whatever the spelling; 403 when disabled."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Client, MakeClient, make_settings
from tests.files.helpers import TRAVERSALS, act, touch
from tests.integration.helpers import call


def ok(result: dict[str, object]) -> bool:
    return result["ok"] is True and result["status"] is True and result["error"] is None


async def test_rename_takes_the_sidecars_along(client: Client, root: Path) -> None:
    touch(root / "show" / "ep [x1].mp4", b"video")
    touch(root / "show" / "ep [x1].en.vtt", b"WEBVTT")
    touch(root / "show" / "ep [x1].info.json", b"{}")
    touch(root / "show" / "episode.txt", b"not a sidecar")
    results = await act(
        client, {"action": "rename", "path": "/show/ep [x1].mp4", "new_name": "Pilot [x1].mp4"}
    )
    assert [r["path"] for r in results] == [
        "/show/ep [x1].mp4",
        "/show/ep [x1].en.vtt",
        "/show/ep [x1].info.json",
    ]
    assert all(ok(r) and r["action"] == "rename" for r in results)
    assert results[0]["new_path"] == "/show/Pilot [x1].mp4"
    assert results[1]["new_path"] == "/show/Pilot [x1].en.vtt"
    assert sorted(p.name for p in (root / "show").iterdir()) == [
        "Pilot [x1].en.vtt",
        "Pilot [x1].info.json",
        "Pilot [x1].mp4",
        "episode.txt",
    ]
    assert (root / "show" / "Pilot [x1].mp4").read_bytes() == b"video"


async def test_rename_a_folder(client: Client, root: Path) -> None:
    touch(root / "old" / "inner.mp4")
    [result] = await act(client, {"action": "rename", "path": "old", "new_name": "new"})
    assert ok(result) and result["new_path"] == "/new"
    assert (root / "new" / "inner.mp4").is_file() and not (root / "old").exists()


async def test_rename_refusals(client: Client, root: Path) -> None:
    touch(root / "a.mp4")
    touch(root / "b.mp4")
    touch(root / "c.mp4")
    touch(root / "taken.en.vtt")
    touch(root / "c.en.vtt")
    results = await act(
        client,
        {"action": "rename", "path": "a.mp4", "new_name": "b.mp4"},
        {"action": "rename", "path": "a.mp4", "new_name": "../a.mp4"},
        {"action": "rename", "path": "a.mp4", "new_name": "sub/a.mp4"},
        {"action": "rename", "path": "a.mp4", "new_name": ".."},
        {"action": "rename", "path": "a.mp4", "new_name": "a\x00.mp4"},
        {"action": "rename", "path": "a.mp4", "new_name": "x" * 300},
        {"action": "rename", "path": "missing.mp4", "new_name": "z.mp4"},
        {"action": "rename", "path": "/", "new_name": "z"},
        {"action": "rename", "path": "c.mp4", "new_name": "taken.mp4"},  # its sidecar clashes
        {"action": "rename", "path": "b.mp4", "new_name": "renamed.mp4"},
    )
    assert [r["ok"] for r in results] == [False] * 9 + [True]
    assert all(r["error"] for r in results[:9])
    assert results[0]["error"] == "Destination already exists: b.mp4"
    assert results[7]["error"] == "Cannot operate on root directory."
    assert sorted(p.name for p in root.iterdir()) == [
        "a.mp4",
        "c.en.vtt",
        "c.mp4",
        "renamed.mp4",
        "taken.en.vtt",
    ]


async def test_move_to_a_folder_and_back_to_the_root(client: Client, root: Path) -> None:
    touch(root / "clip.mp4", b"clip")
    touch(root / "clip.fr.srt", b"1")
    (root / "target").mkdir()
    results = await act(client, {"action": "move", "path": "clip.mp4", "new_path": "target"})
    assert [r["new_path"] for r in results] == ["/target/clip.mp4", "/target/clip.fr.srt"]
    assert all(ok(r) for r in results)
    assert sorted(p.name for p in (root / "target").iterdir()) == ["clip.fr.srt", "clip.mp4"]
    [back, side] = await act(
        client, {"action": "move", "path": "/target/clip.mp4", "new_path": "/"}
    )
    assert ok(back) and back["new_path"] == "/clip.mp4" and side["new_path"] == "/clip.fr.srt"
    assert (root / "clip.mp4").read_bytes() == b"clip"


async def test_move_refusals(client: Client, root: Path) -> None:
    touch(root / "f.mp4")
    touch(root / "d" / "f.mp4")
    touch(root / "d" / "inner" / "x.txt")
    results = await act(
        client,
        {"action": "move", "path": "f.mp4", "new_path": "d"},  # taken there
        {"action": "move", "path": "f.mp4", "new_path": "nowhere"},
        {"action": "move", "path": "f.mp4", "new_path": "../"},
        {"action": "move", "path": "f.mp4", "new_path": "d/f.mp4"},  # not a folder
        {"action": "move", "path": "d", "new_path": "d/inner"},  # into itself
        {"action": "move", "path": "d/f.mp4", "new_path": "d"},  # where it is
        {"action": "move", "path": "missing", "new_path": "d"},
    )
    assert [r["ok"] for r in results] == [False] * 7
    assert results[4]["error"] == "Cannot move a folder into itself."
    assert results[5]["error"] == "Source and destination are the same."
    assert (root / "f.mp4").is_file() and (root / "d" / "inner" / "x.txt").is_file()


async def test_delete_a_file_and_a_folder(client: Client, root: Path) -> None:
    touch(root / "gone.mp4")
    touch(root / "tree" / "deep" / "a.txt")
    results = await act(
        client,
        {"action": "delete", "path": "gone.mp4"},
        {"action": "delete", "path": "/tree"},
        {"action": "delete", "path": "gone.mp4"},  # again: it is gone
        {"action": "delete", "path": "/"},
    )
    assert [r["ok"] for r in results] == [True, True, False, False]
    assert results[0]["deleted"] is True
    assert results[3]["error"] == "Cannot operate on root directory."
    assert list(root.iterdir()) == []


async def test_directory(client: Client, root: Path) -> None:
    touch(root / "file.txt")
    results = await act(
        client,
        {"action": "directory", "path": "/", "new_dir": "one"},
        {"action": "directory", "path": "one", "new_dir": "two/three"},
        {"action": "directory", "path": "/", "new_dir": "one"},  # exists
        {"action": "directory", "path": "/", "new_dir": "../escape"},
        {"action": "directory", "path": "/", "new_dir": "a/../../escape"},
        {"action": "directory", "path": "missing", "new_dir": "x"},
        {"action": "directory", "path": "file.txt", "new_dir": "x"},
        {"action": "directory", "path": "/", "new_dir": "file.txt/x"},
    )
    assert [r["ok"] for r in results] == [True, True] + [False] * 6
    assert results[0]["new_dir"] == "/one" and results[1]["new_dir"] == "/one/two/three"
    assert results[2]["error"] == "Directory already exists."
    assert (root / "one" / "two" / "three").is_dir()
    assert not (root.parent / "escape").exists()


async def test_bad_requests_are_400_and_change_nothing(client: Client, root: Path) -> None:
    touch(root / "keep.mp4")
    bodies: list[object] = [
        {},
        [],
        ["rename"],
        [{"action": "chmod", "path": "keep.mp4"}],
        [{"action": "rename", "path": "keep.mp4"}],
        [{"action": "move", "path": "keep.mp4"}],
        [{"action": "directory", "path": "/"}],
        [{"action": "delete"}],
        [{"action": "delete", "path": "keep.mp4"}, {"action": "explode", "path": "x"}],
    ]
    for body in bodies:
        answer = await call(client, "POST", "/api/file/actions", 400, json=body)
        assert "error" in answer, body
    assert (root / "keep.mp4").is_file()


async def test_disabled_controls_are_403(make_client: MakeClient, tmp_path: Path) -> None:
    client = await make_client(make_settings(tmp_path))  # controls are off by default
    touch(tmp_path / "downloads" / "keep.mp4")
    answer = await call(
        client, "POST", "/api/file/actions", 403, json=[{"action": "delete", "path": "keep.mp4"}]
    )
    assert answer == {"error": "File browser actions are disabled."}
    assert (tmp_path / "downloads" / "keep.mp4").is_file()


@pytest.mark.parametrize("spelling", [*TRAVERSALS, "ABSOLUTE"])
async def test_no_path_parameter_leaves_the_root(
    client: Client, root: Path, outside: Path, spelling: str
) -> None:
    text = str(outside / "secret.txt") if spelling == "ABSOLUTE" else spelling
    folder = str(outside) if spelling == "ABSOLUTE" else text.replace("/secret.txt", "")
    touch(root / "mine.txt", b"mine")
    (root / "a").mkdir()
    results = await act(
        client,
        {"action": "delete", "path": text},
        {"action": "rename", "path": text, "new_name": "taken.txt"},
        {"action": "move", "path": text, "new_path": "a"},
        {"action": "move", "path": "mine.txt", "new_path": folder},
        {"action": "directory", "path": folder, "new_dir": "made"},
        {"action": "directory", "path": "/", "new_dir": text},
    )
    assert [r["ok"] for r in results][:5] == [False] * 5
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (outside / "secret.txt").read_text() == "root:x:0:0"
    assert (root / "mine.txt").read_bytes() == b"mine"


async def test_symlinks_out_of_the_root(client: Client, root: Path, outside: Path) -> None:
    (root / "out").symlink_to(outside)
    (root / "secret-link.txt").symlink_to(outside / "secret.txt")
    (root / "a").mkdir()
    touch(root / "mine.txt")
    results = await act(
        client,
        {"action": "delete", "path": "out/secret.txt"},
        {"action": "delete", "path": "out"},
        {"action": "delete", "path": "secret-link.txt"},
        {"action": "rename", "path": "out/secret.txt", "new_name": "x.txt"},
        {"action": "rename", "path": "secret-link.txt", "new_name": "x.txt"},
        {"action": "move", "path": "out/secret.txt", "new_path": "a"},
        {"action": "move", "path": "mine.txt", "new_path": "out"},
        {"action": "directory", "path": "out", "new_dir": "made"},
    )
    assert [r["ok"] for r in results] == [False] * 8
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]
    assert (root / "mine.txt").is_file() and (root / "out").is_symlink()


async def test_a_symlink_inside_the_root_is_renamed_not_followed(
    client: Client, root: Path
) -> None:
    touch(root / "real" / "file.txt", b"data")
    (root / "alias").symlink_to(root / "real")
    (root / "dest").mkdir()
    results = await act(
        client,
        {"action": "rename", "path": "alias", "new_name": "alias2"},
        {"action": "move", "path": "alias2", "new_path": "dest"},
        {"action": "delete", "path": "alias2"},
    )
    assert [r["ok"] for r in results] == [True, False, True]
    assert (root / "real" / "file.txt").read_bytes() == b"data"
    assert not (root / "alias2").exists() and not (root / "alias").exists()


async def test_changing_only_the_extension_leaves_the_sidecars(client: Client, root: Path) -> None:
    touch(root / "clip.mp4")
    touch(root / "clip.en.vtt")
    results = await act(client, {"action": "rename", "path": "clip.mp4", "new_name": "clip.mkv"})
    assert [r["ok"] for r in results] == [True]
    assert sorted(p.name for p in root.iterdir()) == ["clip.en.vtt", "clip.mkv"]
