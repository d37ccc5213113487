"""POST /api/yt-dlp/command: the console's command line, user > preset > defaults."""

from __future__ import annotations

import shlex
import stat
from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import MakeClient
from tests.integration.helpers import Client, call

URL = "https://example.com/watch?v=1"


@pytest.fixture
def console(settings: Settings) -> Settings:
    return settings.model_copy(update={"console_enabled": True})


@pytest.fixture
async def console_client(console: Settings, make_client: MakeClient) -> Client:
    return await make_client(console)


async def _command(client: Client, body: object) -> list[str]:
    answer = await call(client, "POST", "/api/yt-dlp/command/", json=body)
    return shlex.split(answer["command"])


async def test_forbidden_without_console(client: Client) -> None:
    answer = await call(client, "POST", "/api/yt-dlp/command", json={"url": URL}, status=403)
    assert answer == {"error": "The console is disabled."}


async def test_defaults(console_client: Client, console: Settings) -> None:
    downloads = console.resolved().download_path
    args = await _command(console_client, {"url": URL})
    assert args == ["--paths", str(downloads), "--output", "%(title)s.%(ext)s", "--", URL]


async def test_user_fields_win_over_the_preset(console_client: Client, console: Settings) -> None:
    preset = {
        "name": "p",
        "folder": "pf",
        "template": "%(id)s.%(ext)s",
        "cli": "-f best --write-subs",
        "download_archive": "p.txt",
    }
    await call(console_client, "POST", "/api/presets", json=preset)
    resolved = console.resolved()
    args = await _command(console_client, {"url": URL, "preset": "p"})
    assert args == [
        "-f", "best", "--write-subs",
        "--paths", str(resolved.download_path / "pf"), "--output", "%(id)s.%(ext)s",
        "--download-archive", str(resolved.config_path / "archives" / "p.txt"), "--", URL,
    ]  # fmt: skip
    body = {"url": URL, "preset": "p", "folder": "mine", "template": "x %(id)s.%(ext)s"}
    args = await _command(console_client, {**body, "cli": "-f 'bv*+ba'"})
    assert args == [
        "-f", "best", "--write-subs", "-f", "bv*+ba",
        "--paths", str(resolved.download_path / "mine"), "--output", "x %(id)s.%(ext)s",
        "--download-archive", str(resolved.config_path / "archives" / "p.txt"), "--", URL,
    ]  # fmt: skip


async def test_placement_wins_over_output_options(
    console_client: Client, console: Settings
) -> None:
    """As in a download: a preset's -o is ignored, the request's -o/-P fold into the placement."""
    preset = {"name": "o", "cli": "-o '%(id)s.%(ext)s'"}
    await call(console_client, "POST", "/api/presets", json=preset)
    downloads = console.resolved().download_path
    args = await _command(console_client, {"url": URL, "preset": "o", "template": "t.%(ext)s"})
    assert args[-6:] == ["--paths", str(downloads), "--output", "t.%(ext)s", "--", URL]
    body = {"url": URL, "preset": "o", "folder": "f", "cli": "-P sub -o 'u.%(ext)s'"}
    args = await _command(console_client, body)
    assert args[-6:] == [
        "--paths",
        str(downloads / "f" / "sub"),
        "--output",
        "u.%(ext)s",
        "--",
        URL,
    ]


async def test_cookies_go_to_a_private_file(console_client: Client, console: Settings) -> None:
    args = await _command(console_client, {"url": URL, "cookies": "# Netscape HTTP Cookie File\n"})
    cookie_file = Path(args[args.index("--cookies") + 1])
    assert cookie_file.parent == console.resolved().temp_path / "command-cookies"
    assert cookie_file.read_text() == "# Netscape HTTP Cookie File\n"
    assert stat.S_IMODE(cookie_file.stat().st_mode) == 0o600
    assert args[-2:] == ["--", URL]


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({}, 400, "url"),
        ({"url": "ftp://example.com/x"}, 400, "Invalid url"),
        ({"url": "-x"}, 400, "url"),
        ({"url": URL, "folder": "../out"}, 400, "folder cannot contain '..'"),
        ({"url": URL, "template": "/etc/%(id)s"}, 400, "template"),
        ({"url": URL, "cli": "--exec 'rm -rf /'"}, 400, "--exec"),
        ({"url": URL, "cli": "--cookies /etc/passwd"}, 400, "--cookies"),
        ({"url": URL, "cli": "-o '/tmp/%(id)s'"}, 400, "output template"),
        ({"url": URL, "cli": "'unbalanced"}, 400, "Failed to parse"),
        ({"url": URL, "preset": "nope"}, 404, "Preset 'nope' not found."),
        ({"url": URL, "cookies": "x", "cli": "--exec x"}, 400, "--exec"),
    ],
)
async def test_bad_input(
    console_client: Client, console: Settings, body: object, status: int, error: str
) -> None:
    answer = await call(console_client, "POST", "/api/yt-dlp/command", json=body, status=status)
    assert error in answer["error"]
    temp = console.resolved().temp_path
    assert not any(p.name.startswith("cookies-") for p in temp.rglob("*"))
