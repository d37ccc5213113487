"""The file browser's actions: rename, delete, move, create a folder; each on its own.

Every path is resolved under the download root (a leading ``/`` is the root), and the
change is made through descriptors of folders opened one component at a time without
following symlinks (``open_dir_under``), so a link swapped in after the check cannot send
it elsewhere. An entry that is itself a symlink leading out of the root is refused; a
symlink is renamed in its own folder only (moved, a relative target would change).

A file renamed or moved takes its sidecars along (the names that begin with its name
without extension). Blocking throughout: ``FileService`` runs it in a worker thread.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.errors import AppError, InvalidInput
from app.core.limits import MAX_NAME_BYTES
from app.core.paths import is_under, open_dir_under, resolve_under, rooted_parts
from app.files.sidecars import sidecar_names

ActionName = Literal["rename", "delete", "move", "directory"]
MAX_ACTIONS = 1000


class FileAction(BaseModel):
    """One action of ``POST /api/file/actions``."""

    model_config = ConfigDict(extra="ignore")

    action: ActionName
    path: str = Field(min_length=1, max_length=4096)
    new_name: str | None = Field(default=None, max_length=4096)
    new_path: str | None = Field(default=None, max_length=4096)
    new_dir: str | None = Field(default=None, max_length=4096)


_NEEDS = {"rename": "new_name", "move": "new_path", "directory": "new_dir"}
_NEEDS_WHAT = {
    "new_name": "New name is required for rename action.",
    "new_path": "New path is required for move action.",
    "new_dir": "New directory name is required for directory action.",
}


def parse_actions(body: Any) -> list[FileAction]:
    """The whole list is checked before anything is done: one bad action is a 400."""
    if not isinstance(body, list) or not body:
        raise InvalidInput("Invalid parameters expecting list of dicts.")
    if len(body) > MAX_ACTIONS:
        raise InvalidInput(f"At most {MAX_ACTIONS} actions per request.")
    actions = []
    for raw in body:
        if not isinstance(raw, dict):
            raise InvalidInput("Invalid parameters expecting list of dicts.")
        name = str(raw.get("action", "")).lower()
        if name not in ("rename", "delete", "move", "directory"):
            raise InvalidInput(
                f"Invalid action '{name}'. Must be one of rename, delete, move, directory."
            )
        action = FileAction.model_validate({**raw, "action": name})
        needed = _NEEDS.get(name)
        if needed and not getattr(action, needed):
            raise InvalidInput(_NEEDS_WHAT[needed])
        actions.append(action)
    return actions


class Refused(AppError):
    """This action is not done; the others go on."""

    status = 400


@dataclass
class Outcome:
    results: list[dict[str, Any]] = field(default_factory=list)
    moves: list[tuple[str, str]] = field(default_factory=list)  # (old, new) from the root
    deleted: list[str] = field(default_factory=list)
    touched: set[Path] = field(default_factory=set)  # folders whose listing changed


def rooted(rel: str) -> str:
    """A path from the root as the browser lists it."""
    return f"/{rel}" if rel else "/"


class FileActions:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def run(self, actions: list[FileAction]) -> Outcome:
        outcome = Outcome()
        for action in actions:
            do: Callable[[FileAction, Outcome], dict[str, Any]] = getattr(self, f"_{action.action}")
            start = len(outcome.results)
            try:
                extra = do(action, outcome)
            except (AppError, OSError) as exc:
                error = exc.message if isinstance(exc, AppError) else _os_error(exc)
                outcome.results.insert(start, _result(action, False, error))
                continue
            outcome.results.insert(start, _result(action, True, None, extra))
        return outcome

    # -- the actions ----------------------------------------------------------------------

    def _rename(self, action: FileAction, outcome: Outcome) -> dict[str, Any]:
        folder, name = self._entry(action.path)
        new_name = _plain_name(action.new_name or "")
        if new_name == name:
            raise Refused("Source and destination are the same.")
        moved = self._relocate(folder, name, folder, new_name, outcome, "rename")
        return {"new_path": rooted(moved)}

    def _move(self, action: FileAction, outcome: Outcome) -> dict[str, Any]:
        folder, name = self._entry(action.path)
        target = self._folder(action.new_path or "/", "new_path")
        if target == folder:
            raise Refused("Source and destination are the same.")
        if is_under(folder / name, target):
            raise Refused("Cannot move a folder into itself.")
        if (folder / name).is_symlink():
            raise Refused("A symlink can be renamed in its folder, not moved.")
        moved = self._relocate(folder, name, target, name, outcome, "move")
        return {"new_path": rooted(moved)}

    def _delete(self, action: FileAction, outcome: Outcome) -> dict[str, Any]:
        folder, name = self._entry(action.path)
        with open_dir_under(self._root, folder) as fd:
            if _is_real_dir(name, fd):
                shutil.rmtree(name, dir_fd=fd)
            else:
                os.unlink(name, dir_fd=fd)
        outcome.deleted.append(self._rel(folder / name))
        outcome.touched |= {folder, folder / name}
        return {"deleted": True}

    def _directory(self, action: FileAction, outcome: Outcome) -> dict[str, Any]:
        base = self._folder(action.path, "path")
        parts = rooted_parts(action.new_dir or "", "new_dir")
        if not parts:
            raise InvalidInput("New directory name is required for directory action.")
        with open_dir_under(self._root, base) as fd:
            current = os.dup(fd)
            try:
                for index, part in enumerate(parts):
                    try:
                        os.mkdir(part, 0o777, dir_fd=current)
                    except FileExistsError:
                        if index == len(parts) - 1:
                            raise Refused("Directory already exists.") from None
                    inner = os.open(part, _DIR | os.O_NOFOLLOW, dir_fd=current)
                    os.close(current)
                    current = inner
            finally:
                os.close(current)
        outcome.touched.add(base)
        return {"new_dir": rooted(self._rel(base.joinpath(*parts)))}

    # -- helpers --------------------------------------------------------------------------

    def _relocate(
        self, folder: Path, name: str, target: Path, new_name: str, outcome: Outcome, kind: str
    ) -> str:
        """Renames ``folder/name`` to ``target/new_name`` with a file's sidecars; answers
        the new path from the root. Nothing moves when any destination is taken."""
        with open_dir_under(self._root, folder) as src, open_dir_under(self._root, target) as dst:
            pairs = [(name, new_name)]
            if not _is_real_dir(name, src):
                old_stem, new_stem = PurePosixPath(name).stem, PurePosixPath(new_name).stem
                for side in sidecar_names(name, os.listdir(src)):  # noqa: PTH208 (a descriptor)
                    moved = new_stem + side[len(old_stem) :]
                    # Only the extension changed: the sidecars keep their names.
                    if (folder, side) != (target, moved) and not _is_real_dir(side, src):
                        pairs.append((side, moved))
            for _old, new in pairs:
                if _exists(new, dst):
                    raise Refused(f"Destination already exists: {new}")
            outcome.touched |= {folder, target, folder / name}
            for old, new in pairs:
                os.rename(old, new, src_dir_fd=src, dst_dir_fd=dst)
                before, after = self._rel(folder / old), self._rel(target / new)
                outcome.moves.append((before, after))
                if old != name:  # a sidecar: reported after the action's own result
                    outcome.results.append(_sidecar_result(kind, before, after))
        return self._rel(target / new_name)

    def _entry(self, text: str) -> tuple[Path, str]:
        """The entry's folder (resolved, under the root) and its own name (not resolved)."""
        parts = rooted_parts(text)
        if not parts:
            raise Refused("Cannot operate on root directory.")
        folder = resolve_under(self._root, "/".join(parts[:-1]))
        path = folder / parts[-1]
        if not os.path.lexists(path):
            raise Refused(f"path '{text}' does not exist.")
        if path.is_symlink() and not is_under(self._root, path.resolve()):
            raise Refused("Path leads out of the download root.")
        return folder, parts[-1]

    def _folder(self, text: str, what: str) -> Path:
        folder = resolve_under(self._root, "/".join(rooted_parts(text, what)), what)
        if not folder.is_dir():
            raise Refused(f"{what} '{text}' is not an existing directory.")
        return folder

    def _rel(self, path: Path) -> str:
        return path.relative_to(self._root).as_posix()


_DIR = os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC


def _plain_name(text: str) -> str:
    name = text.strip()
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise Refused("New name must be a plain file name.")
    if len(name.encode()) > MAX_NAME_BYTES:
        raise Refused(f"New name is longer than {MAX_NAME_BYTES} bytes.")
    return name


def _exists(name: str, fd: int) -> bool:
    try:
        os.stat(name, dir_fd=fd, follow_symlinks=False)
    except FileNotFoundError:
        return False
    return True


def _is_real_dir(name: str, fd: int) -> bool:
    """A folder, not a link to one."""
    return stat.S_ISDIR(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode)


def _status(ok: bool) -> dict[str, Any]:
    return {"ok": ok, "status": ok}  # the seed's ``ok``, YTPTube's own UI's ``status``


def _result(
    action: FileAction, ok: bool, error: str | None, extra: dict[str, Any] | None = None
) -> dict[str, Any]:
    return {
        "path": action.path,
        "action": action.action,
        **_status(ok),
        "error": error,
        **(extra or {}),
    }


def _sidecar_result(kind: str, before: str, after: str) -> dict[str, Any]:
    return {
        "path": rooted(before),
        "action": kind,
        **_status(True),
        "error": None,
        "new_path": rooted(after),
        "sidecar": True,
    }


def _os_error(exc: OSError) -> str:
    return exc.strerror or str(exc)
