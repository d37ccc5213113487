"""ZIP downloads: short-lived tokens for a chosen set of files, and the archive streamed.

The archive is made while it is sent (``zipstream-ng``): files are stored, not deflated
(media does not shrink), with ZIP64 where sizes need it, and read a chunk at a time in a
worker thread, so a 10 GB selection costs a few MiB of memory and no temporary file. Each
file is opened where it is checked (``open_file_under``): one swapped for a symlink out of
the root after the token was made is refused then.
"""

from __future__ import annotations

import os
import secrets
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from zipstream import ZipStream

from app.core.errors import AppError
from app.core.paths import open_file_under, resolve_under

TOKEN_SECONDS = 600.0
MAX_TOKENS = 256
MAX_FILES = 10_000
CHUNK = 1024 * 1024


class TokenExpired(AppError):
    status = 400


@dataclass(frozen=True, slots=True)
class Selection:
    files: tuple[str, ...]  # relative to the download root
    expires: float


class Tokens:
    """Selections by token, in memory: each expires after ``TOKEN_SECONDS``; past
    ``MAX_TOKENS`` the oldest goes first."""

    def __init__(self, seconds: float = TOKEN_SECONDS, limit: int = MAX_TOKENS) -> None:
        self._seconds = seconds
        self._limit = limit
        self._selections: OrderedDict[str, Selection] = OrderedDict()

    def issue(self, files: tuple[str, ...]) -> str:
        self._expire()
        token = secrets.token_urlsafe(24)
        self._selections[token] = Selection(files, time.monotonic() + self._seconds)
        while len(self._selections) > self._limit:
            self._selections.popitem(last=False)
        return token

    def files(self, token: str) -> tuple[str, ...]:
        self._expire()
        selection = self._selections.get(token)
        if selection is None:
            raise TokenExpired("Invalid or expired download token.")
        return selection.files

    def _expire(self) -> None:
        now = time.monotonic()
        while self._selections:
            token, oldest = next(iter(self._selections.items()))
            if oldest.expires > now:
                break
            del self._selections[token]


def archive(root: Path, files: tuple[str, ...]) -> tuple[Iterator[bytes], int, int]:
    """The bytes of a ZIP of ``files`` (those still present under the root), its size and
    how many files it holds. Blocking, like iterating it: run both in a worker thread."""
    stream = ZipStream(sized=True)
    count = 0
    for name in files:
        try:
            path = resolve_under(root, name)
            size = path.stat().st_size
        except (OSError, AppError):
            continue  # gone (or moved out of reach) since the token was made
        if path.is_file():
            stream.add(_read(root, path, size), name, size=size)
            count += 1
    return _chunks(stream), len(stream), count


def _chunks(stream: ZipStream) -> Iterator[bytes]:
    yield from stream  # a generator: closing it closes the file being read


def _read(root: Path, path: Path, size: int) -> Iterator[bytes]:
    fd = open_file_under(root, path)
    with os.fdopen(fd, "rb", buffering=0) as file:
        left = size
        while left > 0:
            chunk = file.read(min(CHUNK, left))
            if not chunk:
                break
            left -= len(chunk)
            yield chunk
