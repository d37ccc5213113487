"""GET /api/file/ffprobe/{file} and /api/file/info/{file} on real ffmpeg media; the seed's
302 for a misnamed file (GET /api/download/{filename} too); nothing outside the root."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import Client
from tests.files.helpers import touch
from tests.fixtures.media import MediaLibrary
from tests.integration.helpers import call

NAME = "Title [vid123].mp4"


@pytest.fixture
def media(root: Path, media_library: MediaLibrary) -> Path:
    target = root / "show" / NAME
    target.parent.mkdir()
    shutil.copyfile(media_library.path("clip.mp4"), target)
    touch(target.with_name("Title [vid123].en.vtt"), b"WEBVTT\n")
    touch(target.with_name("Title [vid123].pt-BR.srt"), b"1\n")
    touch(target.with_name("Title [vid123].live_chat.json"), b"{}")
    touch(target.with_name("Title [vid123].info.json"), b"{}")
    touch(target.with_name("Title [vid123].nfo"), b"<x/>")
    touch(target.with_name("Title [vid123].webp"), b"img")
    touch(target.with_name("Title [vid123].empty.vtt"), b"")  # empty: not offered
    touch(target.with_name("poster.jpg"), b"img")
    touch(target.with_name("Other.mp4"), b"x")
    return target


def url(route: str, path: str) -> str:
    return f"/api/{route}/{quote(path)}"


async def test_ffprobe_answers_both_forms(client: Client, media: Path) -> None:
    probe = await call(client, "GET", url("file/ffprobe", f"show/{NAME}"))
    kinds = sorted(s["codec_type"] for s in probe["streams"])
    assert kinds == ["audio", "video"]
    assert "mp4" in probe["format"]["format_name"] and probe["metadata"] == probe["format"]
    assert probe["video"][0]["codec_name"] == "h264" and probe["video"][0]["framerate"] == 25
    assert probe["audio"][0]["codec_name"] == "aac"
    assert probe["is_video"] is True and probe["is_audio"] is True


async def test_info_has_mime_type_and_sidecars(client: Client, media: Path) -> None:
    info = await call(client, "GET", url("file/info", f"show/{NAME}"))
    assert info["title"] == "Title [vid123]"
    assert info["mimetype"] == "video/mp4"
    assert info["ffprobe"]["format"]["format_name"]
    sidecar = info["sidecar"]
    assert sidecar["subtitles"] == [
        {"file": "show/Title [vid123].en.vtt", "lang": "en", "name": "VTT (0) - en"},
        {"file": "show/Title [vid123].pt-BR.srt", "lang": "pt-BR", "name": "SRT (1) - pt-BR"},
    ]
    assert sidecar["subtitle"] == sidecar["subtitles"]
    assert sidecar["metadata"] == [
        {"file": "show/Title [vid123].info.json"},
        {"file": "show/Title [vid123].live_chat.json"},
        {"file": "show/Title [vid123].nfo"},
    ]
    assert sidecar["image"] == [{"file": "show/Title [vid123].webp"}, {"file": "show/poster.jpg"}]
    assert sidecar["video"] == [] and sidecar["audio"] == [] and sidecar["text"] == []


async def test_info_of_what_ffprobe_cannot_read(client: Client, root: Path) -> None:
    touch(root / "notes.txt", b"plain text")
    info = await call(client, "GET", "/api/file/info/notes.txt")
    assert info["mimetype"] == "text/plain"
    assert info["ffprobe"]["streams"] == [] and info["ffprobe"]["is_video"] is False
    answer = await call(client, "GET", "/api/file/ffprobe/notes.txt", 400)
    assert answer["error"].startswith("ffprobe could not read the file")


async def test_a_rewritten_file_is_probed_again(
    client: Client, root: Path, media_library: MediaLibrary
) -> None:
    target = root / "swap.mp4"
    shutil.copyfile(media_library.path("clip.mp4"), target)
    first = await call(client, "GET", "/api/file/ffprobe/swap.mp4")
    assert first["video"][0]["width"] == 320
    shutil.copyfile(media_library.path("clip-360.mp4"), target)
    second = await call(client, "GET", "/api/file/ffprobe/swap.mp4")
    assert second["video"][0]["width"] == 640


async def test_missing_and_folders(client: Client, media: Path) -> None:
    for route in ("file/ffprobe", "file/info"):
        answer = await call(client, "GET", url(route, "show/none.mp4"), 404)
        assert answer == {"error": "File 'show/none.mp4' does not exist."}
        await call(client, "GET", url(route, "show"), 400)
        await call(client, "GET", f"/api/{route}/", 400)


async def test_a_misnamed_file_redirects(client: Client, media: Path) -> None:
    real = f"/api/download/{quote(f'show/{NAME}')}"
    for asked in (
        "show/Old title [vid123].mp4",  # the same video, renamed since
        f"show//{NAME}",
        f"/show/{NAME}",  # a leading / is the root
    ):
        response = await client.get(f"/api/download/{quote(asked)}", allow_redirects=False)
        assert response.status == 302, asked
        assert response.headers["Location"] == real
    response = await client.get(
        url("file/info", "show/Old title [vid123].mp4"), allow_redirects=False
    )
    assert response.headers["Location"] == url("file/info", f"show/{NAME}")
    followed = await client.get(f"/api/download/{quote('show/Old [vid123].mp4')}")
    assert followed.status == 200 and await followed.read() == media.read_bytes()
    await call(client, "GET", f"/api/download/{quote('show/Old [other].mp4')}", 404)
    await call(client, "GET", f"/api/download/{quote('show/Old [vid123].mkv')}", 404)


@pytest.mark.parametrize(
    "path",
    [
        "..%2Foutside%2Fsecret.txt",
        "%2e%2e/outside/secret.txt",
        "show/%2E%2E/%2E%2E/outside/secret.txt",
        "..%5Coutside%5Csecret.txt",
        "out/secret.txt",
        "secret-link.txt",
        "secret%00.txt",
        "ABSOLUTE",
    ],
)
@pytest.mark.parametrize("route", ["file/ffprobe", "file/info", "download"])
async def test_never_reads_outside_the_root(
    client: Client, root: Path, outside: Path, media: Path, path: str, route: str
) -> None:
    (root / "out").symlink_to(outside)
    (root / "secret-link.txt").symlink_to(outside / "secret.txt")
    if path == "ABSOLUTE":
        path = quote(str(outside / "secret.txt"), safe="")
    response = await client.get(f"/api/{route}/{path}", allow_redirects=False)
    assert response.status in (400, 404), (route, path, response.status)
    assert b"root:" not in await response.read()
