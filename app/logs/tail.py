"""Reading the log from its end, a block at a time: a page of the newest entries costs
the size of that page (and of the entries it skips), never the size of the file.

Blocking file I/O: run it in a thread.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from app.logs.lines import is_header

BLOCK = 64 * 1024
MAX_LINE = 256 * 1024  # a longer line is cut: one runaway record cannot fill the memory


def files_newest_first(log_file: Path, backups: int) -> list[Path]:
    """The log file, then its rotated copies (``.1`` is the newer one), those that exist."""
    names = [log_file, *(log_file.with_name(f"{log_file.name}.{n}") for n in range(1, backups + 1))]
    return [path for path in names if path.is_file()]


def lines_backward(path: Path) -> Iterator[str]:
    """The file's lines, last first, without its trailing empty line."""
    with contextlib.suppress(FileNotFoundError), path.open("rb") as handle:
        position = handle.seek(0, 2)
        rest = b""
        while position > 0:
            size = min(BLOCK, position)
            position -= size
            handle.seek(position)
            lines = (handle.read(size) + rest).split(b"\n")
            rest = lines.pop(0)[-MAX_LINE:]
            for line in reversed(lines):
                if line:
                    yield line[:MAX_LINE].decode("utf-8", "replace")
        if rest:
            yield rest.decode("utf-8", "replace")


def entries_backward(paths: list[Path]) -> Iterator[str]:
    """Whole entries, newest first: a header line with the lines that follow it."""
    for path in paths:
        tail: list[str] = []
        for line in lines_backward(path):
            tail.append(line)
            if is_header(line) or len(tail) > 1000:
                yield "\n".join(reversed(tail))
                tail = []
        if tail:  # the start of a file that rotation cut in the middle of an entry
            yield "\n".join(reversed(tail))


def read_page(paths: list[Path], offset: int, limit: int) -> tuple[list[str], bool]:
    """Entries ``offset`` to ``offset + limit`` counted from the newest, and whether the
    oldest entry was reached."""
    found: list[str] = []
    for index, text in enumerate(entries_backward(paths)):
        if index >= offset + limit:
            return found, False
        if index >= offset:
            found.append(text)
    return found, True
