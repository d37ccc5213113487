"""POST /api/file/download → token; GET /api/file/download/{token} → the ZIP, streamed:
it opens, holds the files' bytes and their sidecars; bad tokens and bad lists are 400."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.conftest import Client
from tests.files.helpers import touch
from tests.integration.helpers import call


async def _zip(client: Client, token: str) -> zipfile.ZipFile:
    response = await client.get(f"/api/file/download/{token}")
    assert response.status == 200
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith("attachment")
    data = await response.read()
    assert int(response.headers["Content-Length"]) == len(data)
    return zipfile.ZipFile(io.BytesIO(data))


async def test_zip_holds_the_files_and_their_sidecars(client: Client, root: Path) -> None:
    video = touch(root / "show" / "ep.mp4", bytes(range(256)) * 4000)
    touch(root / "show" / "ep.en.vtt", b"WEBVTT\n")
    touch(root / "show" / "ep.info.json", b"{}")
    touch(root / "show" / "other.mp4", b"not chosen")
    touch(root / "music" / "a.m4a", b"a")
    touch(root / "music" / "deep" / "b.m4a", b"b")
    answer = await call(
        client, "POST", "/api/file/download", json=["/show/ep.mp4", "music", "show/ep.mp4"]
    )
    assert answer["files"] == [
        "show/ep.mp4",
        "show/ep.en.vtt",
        "show/ep.info.json",
        "music/a.m4a",
        "music/deep/b.m4a",
    ]
    archive = await _zip(client, answer["token"])
    assert archive.testzip() is None
    assert archive.namelist() == answer["files"]
    assert archive.read("show/ep.mp4") == video.read_bytes()
    assert archive.read("music/deep/b.m4a") == b"b"
    assert {i.compress_type for i in archive.infolist()} == {zipfile.ZIP_STORED}
    again = await _zip(client, answer["token"])  # a token serves until it expires
    assert again.namelist() == answer["files"]


async def test_files_gone_since_the_token_are_left_out(client: Client, root: Path) -> None:
    touch(root / "a.txt", b"a")
    touch(root / "b.txt", b"b")
    token = (await call(client, "POST", "/api/file/download", json=["a.txt", "b.txt"]))["token"]
    (root / "a.txt").unlink()
    assert (await _zip(client, token)).namelist() == ["b.txt"]
    (root / "b.txt").unlink()
    answer = await call(client, "GET", f"/api/file/download/{token}", 400)
    assert answer == {"error": "No valid files."}


async def test_bad_bodies_and_tokens(client: Client, root: Path, outside: Path) -> None:
    touch(root / "a.txt")
    (root / "out").symlink_to(outside)
    (root / "secret-link.txt").symlink_to(outside / "secret.txt")
    for body in (
        {"files": ["a.txt"]},
        "a.txt",
        [],
        [1, None],
        ["missing.txt"],
        ["../outside/secret.txt", "out/secret.txt", "secret-link.txt", "a\x00.txt"],
        [str(outside / "secret.txt")],
        ["out"],
    ):
        answer = await call(client, "POST", "/api/file/download", 400, json=body)
        assert "error" in answer, body
    for token in ("nope", "x" * 32, "..%2F..%2Fetc%2Fpasswd", "%00"):
        answer = await call(client, "GET", f"/api/file/download/{token}", 400)
        assert answer == {"error": "Invalid or expired download token."}


async def test_links_inside_the_root_are_followed_links_out_are_not(
    client: Client, root: Path, outside: Path
) -> None:
    touch(root / "real.txt", b"real")
    (root / "alias.txt").symlink_to(root / "real.txt")
    (root / "secret-link.txt").symlink_to(outside / "secret.txt")
    (root / "dir").mkdir()
    (root / "dir" / "out").symlink_to(outside)
    answer = await call(
        client, "POST", "/api/file/download", json=["alias.txt", "secret-link.txt", "dir", "/"]
    )
    assert answer["files"] == ["real.txt"]
    archive = await _zip(client, answer["token"])
    assert archive.read("real.txt") == b"real"
