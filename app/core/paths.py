"""The one function that turns a path from a request into a path under its root."""

from __future__ import annotations

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
