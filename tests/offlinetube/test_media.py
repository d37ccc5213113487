"""Streaming with Range, paths that try to leave the download root, thumbnails."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest

from tests.fixtures.media import MediaLibrary
from tests.offlinetube.conftest import OfflineTube, Where


@pytest.mark.parametrize("where", ["port", "prefix"])
async def test_stream_answers_ranges_with_206(ot: OfflineTube, where: Where) -> None:
    done = await ot.completed("/watch/v-basic")
    data = ot.file(done).read_bytes()
    path = "/api/stream/" + quote(done["filename"])

    whole = await ot.request("GET", path, where)
    assert whole.status == 200 and whole.body == data
    assert whole.headers["Content-Type"] == "video/mp4"
    assert whole.headers["Accept-Ranges"] == "bytes"

    part = await ot.request("GET", path, where, headers={"Range": "bytes=100-1099"})
    assert part.status == 206
    assert part.headers["Content-Range"] == f"bytes 100-1099/{len(data)}"
    assert part.body == data[100:1100]

    tail = await ot.request("GET", path, where, headers={"Range": "bytes=-500"})
    assert tail.status == 206 and tail.body == data[-500:]
    # The file endpoint takes ranges too.
    ranged = await ot.request(
        "GET", f"/api/download/{done['id']}/file", where, headers={"Range": "bytes=0-9"}
    )
    assert ranged.status == 206 and ranged.body == data[:10]


async def test_stream_serves_files_in_folders(ot: OfflineTube) -> None:
    folder = ot.settings.download_path / "sub dir"
    folder.mkdir(parents=True)
    (folder / "clip.txt").write_bytes(b"0123456789")
    ranged = {"Range": "bytes=2-4"}
    answer = await ot.request("GET", "/api/stream/sub%20dir/clip.txt", headers=ranged)
    assert (answer.status, answer.body) == (206, b"234")


@pytest.fixture
def outside(ot: OfflineTube, tmp_path: Path) -> Path:
    """A secret beside the download root, and symlinks in the root that point at it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    root = ot.settings.download_path
    root.mkdir(parents=True, exist_ok=True)
    (root / "link.txt").symlink_to(secret)
    (root / "linkdir").symlink_to(tmp_path, target_is_directory=True)
    return secret


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "%2e%2e/secret.txt",
        "%2E%2E%2Fsecret.txt",
        "..%5csecret.txt",
        "sub/../../secret.txt",
        "/etc/passwd",
        "%2fetc%2fpasswd",
        "link.txt",
        "linkdir/secret.txt",
        "nul%00byte",
        "no-such-file.mp4",
    ],
)
async def test_stream_never_leaves_the_download_root(
    ot: OfflineTube, outside: Path, path: str
) -> None:
    where: Where
    for where in ("port", "prefix"):
        answer = await ot.raw(f"/api/stream/{path}", where)
        # Sent as written (raw): the handler, not the client, meets the "..".
        assert answer.status == (404 if path == "no-such-file.mp4" else 400), answer
        assert b"top secret" not in answer.body and b"root:" not in answer.body
        assert answer.detail


async def test_a_symlink_inside_the_root_is_served(ot: OfflineTube) -> None:
    root = ot.settings.download_path
    root.mkdir(parents=True, exist_ok=True)
    (root / "real.txt").write_text("inside")
    (root / "alias.txt").symlink_to(root / "real.txt")
    answer = await ot.request("GET", "/api/stream/alias.txt")
    assert (answer.status, answer.body) == (200, b"inside")


async def test_the_thumbnail_is_fetched_from_the_videos_site(
    ot: OfflineTube, media_library: MediaLibrary
) -> None:
    done = await ot.completed("/watch/v-basic")
    expected = media_library.path("thumb.jpg").read_bytes()
    fetched = ot.site.hits("/thumb/v-basic.jpg")
    for answer in await ot.both("GET", done["thumbnail"]):
        assert answer.status == 200
        assert answer.headers["Content-Type"] == "image/jpeg"
        assert answer.body == expected
    # Fetched once, then kept: a list's thumbnails do not fetch again on every view.
    assert ot.site.hits("/thumb/v-basic.jpg") == fetched + 1


async def test_a_thumbnail_beside_the_file_is_served_from_disk(ot: OfflineTube) -> None:
    done = await ot.completed("/watch/v-second")
    beside = ot.file(done).with_suffix(".webp")
    beside.write_bytes(b"RIFF....WEBPlocal")
    answer = await ot.request("GET", done["thumbnail"], "prefix")
    assert (answer.status, answer.body) == (200, b"RIFF....WEBPlocal")
