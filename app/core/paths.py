"""The one function that turns a path from a request into a path under its root."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from app.core.errors import InvalidInput
from app.core.limits import check_name_length


def relative_parts(text: str, what: str = "path") -> tuple[str, ...]:
    """Splits a client-given relative path, refusing anything that could leave its root."""
    if "\x00" in text:
        raise InvalidInput(f"{what} contains a NUL byte.")
    normal = text.replace("\\", "/")
    if normal.startswith("/") or (len(normal) > 1 and normal[1] == ":"):
        raise InvalidInput(f"{what} must be relative, not absolute.")
    parts = tuple(p for p in PurePosixPath(normal).parts if p not in ("", "."))
    if ".." in parts:
        raise InvalidInput(f"{what} cannot contain '..'.")
    return check_name_length(parts, what)


def resolve_under(root: Path, text: str, what: str = "path") -> Path:
    """``root/text`` with symlinks resolved; refused when it would leave ``root``."""
    base = root.resolve()
    candidate = base.joinpath(*relative_parts(text, what)).resolve()
    if candidate != base and base not in candidate.parents:
        raise InvalidInput(f"{what} leaves its root.")
    return candidate


def relative_to_root(root: Path, path: Path) -> str:
    """A file's path as clients name it: relative to the root, with forward slashes."""
    return path.resolve().relative_to(root.resolve()).as_posix()


def rooted_parts(text: str, what: str = "path") -> tuple[str, ...]:
    """Like ``relative_parts`` for paths the file API names from its root: a leading ``/``
    means the download root itself (``/videos`` is ``videos``), never the machine's root."""
    return relative_parts(text.replace("\\", "/").lstrip("/"), what)


def is_under(root: Path, path: Path) -> bool:
    """Whether ``path`` (already resolved) is ``root`` (resolved) or below it."""
    base = root.resolve()
    return path == base or base in path.parents


_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


@contextmanager
def open_dir_under(root: Path, folder: Path) -> Iterator[int]:
    """A descriptor of ``folder`` (resolved, under ``root``), opened one component at a time
    from the root without following symlinks: a link swapped in after ``resolve_under``
    checked the path fails here (ELOOP/ENOTDIR) instead of leading out of the root."""
    base = root.resolve()
    if not is_under(base, folder):
        raise InvalidInput("path leaves its root.")
    fd = os.open(base, _DIR_FLAGS)
    try:
        for part in folder.relative_to(base).parts:
            inner = os.open(part, _DIR_FLAGS | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = inner
        yield fd
    finally:
        os.close(fd)


def open_file_under(root: Path, path: Path) -> int:
    """A read descriptor of the file ``path`` (resolved, under ``root``), opened where it is
    checked: its folders and the file itself are opened without following symlinks."""
    with open_dir_under(root, path.parent) as parent:
        return os.open(path.name, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=parent)
