"""The yt-dlp command line an item would run with: user fields > preset > defaults.

For the console: the answer is a CLI string, so everything in it is checked the way an add
request is (paths under the download path, options through the policy).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import os
import shlex
import time
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.errors import NotFound
from app.ytdlp.info import check_url
from app.ytdlp.options import parse_cli
from app.ytdlp.params import placement


class CommandPreset(Protocol):
    """What a command needs of a preset (a stored preset model is one)."""

    @property
    def cli(self) -> str: ...
    @property
    def cookies(self) -> str: ...
    @property
    def folder(self) -> str: ...
    @property
    def template(self) -> str: ...
    @property
    def download_archive(self) -> str: ...


class CommandRequest(BaseModel):
    # Not stripped: cookies are a Netscape file, whose lines and final newline matter.
    model_config = ConfigDict(extra="ignore")

    url: str = Field(min_length=1, max_length=8192)
    preset: str = Field(default="", max_length=255)
    folder: str = Field(default="", max_length=1024)
    template: str = Field(default="", max_length=1024)
    cli: str = Field(default="", max_length=16384)
    cookies: str = Field(default="", max_length=1024 * 1024)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        value = value.strip()
        if value.startswith("-") or any(ch.isspace() or ord(ch) < 32 for ch in value):
            raise ValueError("a URL cannot start with '-' or contain spaces")
        return check_url(value)


class CommandBuilder:
    def __init__(
        self,
        download_path: Path,
        archives_path: Path,
        temp_path: Path,
        *,
        allow_unsafe: bool,
    ) -> None:
        self._download_path = download_path
        self._archives_path = archives_path
        self._temp_path = temp_path
        self._allow_unsafe = allow_unsafe

    async def build(self, request: CommandRequest, preset: CommandPreset | None) -> str:
        """The whole command line; ``preset`` is the one the request named (or "default")."""
        if preset is None:
            raise NotFound(f"Preset '{request.preset}' not found.")
        args = self.arguments(request, preset)
        cookies = request.cookies or (preset.cookies if preset else "")
        if cookies:
            cookie_file = await asyncio.to_thread(_write_cookies, self._temp_path, cookies)
            args += ["--cookies", str(cookie_file)]
        return shlex.join([*args, "--", request.url])

    def arguments(self, request: CommandRequest, preset: CommandPreset | None) -> list[str]:
        """The options before the URL; raises before anything is written.

        The placement comes after both clis so it wins, as in a download: the queue ignores a
        preset cli's -o/-P, and folds the request cli's into the placement itself.
        """
        preset_cli = preset.cli if preset else ""
        if preset_cli:
            parse_cli(preset_cli, allow_unsafe=self._allow_unsafe)  # names a refused option
        user = parse_cli(request.cli, allow_unsafe=self._allow_unsafe) if request.cli else None
        folder = request.folder or (preset.folder if preset else "")
        template = request.template or (preset.template if preset else "")
        place = placement(self._download_path, folder, template, user)
        args = [*shlex.split(preset_cli), *shlex.split(request.cli)]
        args += ["--paths", str(place.root), "--output", place.template]
        if preset and preset.download_archive:
            archive = self._archives_path / preset.download_archive
            args += ["--download-archive", str(archive)]
        return args


COOKIE_LIFETIME = 3600.0  # seconds a command's cookie file is kept for it to be run


def _write_cookies(temp_path: Path, cookies: str) -> Path:
    """The cookie file a command names, kept for an hour after it was last asked for.

    The command is run later, by hand, so the file must outlive the answer; it is named by
    its content, so asking again reuses it, and each call removes files past their time.
    """
    folder = temp_path / "command-cookies"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    _sweep(folder, time.time() - COOKIE_LIFETIME)
    digest = hashlib.sha256(cookies.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    path = folder / f"cookies-{digest}.txt"
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        os.utime(path)
        return path
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        handle.write(cookies)
    return path


def _sweep(folder: Path, before: float) -> None:
    for old in folder.glob("cookies-*.txt"):
        with contextlib.suppress(FileNotFoundError):
            if old.stat().st_mtime < before:
                old.unlink()
