"""What a worker process may touch: files under its roots, and the addresses policy allows.

A request cannot be judged by its text alone: an output template is only a path once
yt-dlp evaluates it for one video (``%(x|.)s`` pieces can add up to ``..``), metadata can
be rewritten on the way, and a redirect or a DNS answer decides where a connection goes.
So each worker checks at the moment it acts, through a Python audit hook that sees every
file opened for writing, every rename, removal and directory made, and every socket
connect, whoever asks: yt-dlp, its postprocessors, or a plugin. Landlock then confines the
process and its ffmpeg children in the kernel, for whatever the hook cannot see.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import socket
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.sandbox import landlock
from app.sandbox.network import NetworkPolicy, RefusedAddress

log = logging.getLogger(__name__)

# Under the temp root: one private working folder per worker, and yt-dlp's cache.
WORKDIRS = ".workers"
# Opened for writing by the standard library itself: subprocess.DEVNULL is O_RDWR.
WRITABLE_FILES = ("/dev/null",)

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


@dataclass(frozen=True, slots=True)
class Confinement:
    """The roots a worker may write under and the addresses it may connect to."""

    temp: Path
    writable: tuple[Path, ...]  # the temp root is always among them
    network: NetworkPolicy = field(default_factory=NetworkPolicy)

    @classmethod
    def of(cls, temp: Path, others: tuple[Path, ...], network: NetworkPolicy) -> Confinement:
        roots = tuple(dict.fromkeys(Path(os.path.realpath(p)) for p in (temp, *others)))
        return cls(temp=roots[0], writable=roots, network=network)

    def workdir(self, pid: int) -> Path:
        return self.temp / WORKDIRS / str(pid)


def enter(confinement: Confinement) -> None:
    """Confines this process for good; call it once in each worker, before any job.

    Relative paths, temporary files and yt-dlp's cache then all land in a private folder
    under the temp root, never in the folder the server was started from.
    """
    workdir = confinement.workdir(os.getpid())
    shutil.rmtree(workdir, ignore_errors=True)  # a pid reused after a killed worker
    (workdir / "tmp").mkdir(parents=True)
    os.chdir(workdir)
    os.environ["TMPDIR"] = str(workdir / "tmp")
    os.environ["XDG_CACHE_HOME"] = str(confinement.temp / WORKDIRS / "cache")
    tempfile.tempdir = None  # read TMPDIR again
    sys.addaudithook(_Guard(confinement))
    landlock.confine_writes(confinement.writable, [Path(f) for f in WRITABLE_FILES])


def leave(confinement: Confinement) -> None:
    """Removes this worker's private folder when it ends cleanly."""
    shutil.rmtree(confinement.workdir(os.getpid()), ignore_errors=True)


def clear_workdirs(temp: Path) -> None:
    """Removes the private folders of workers that are gone (at server start)."""
    shutil.rmtree(temp / WORKDIRS, ignore_errors=True)


class _Guard:
    """The audit hook: refuses an operation by raising before it happens."""

    def __init__(self, confinement: Confinement) -> None:
        self._roots = tuple(str(root) for root in confinement.writable)
        self._network = confinement.network
        self._files = frozenset(WRITABLE_FILES)
        self._checks: dict[str, Callable[[tuple[Any, ...]], None]] = {
            "open": self._open,
            "os.rename": lambda a: self._paths(a[0], a[1], dir_fds=(a[2], a[3])),
            "os.link": lambda a: self._paths(a[0], a[1], dir_fds=(a[2], a[3])),
            "os.symlink": lambda a: self._paths(a[1], dir_fds=(a[2],)),
            "os.remove": lambda a: self._paths(a[0], dir_fds=(a[1],)),
            "os.rmdir": lambda a: self._paths(a[0], dir_fds=(a[1],)),
            "os.mkdir": lambda a: self._paths(a[0], dir_fds=(a[2],)),
            "os.mkfifo": lambda a: self._paths(a[0], dir_fds=(a[2],)),
            "os.mknod": lambda a: self._paths(a[0], dir_fds=(a[3],)),
            "os.truncate": lambda a: self._paths(a[0]),
            "os.utime": lambda a: self._paths(a[0], dir_fds=(a[3],)),
            "os.chmod": lambda a: self._paths(a[0], dir_fds=(a[2],)),
            "os.chown": lambda a: self._paths(a[0], dir_fds=(a[3],)),
            "os.chflags": lambda a: self._paths(a[0]),
            "os.setxattr": lambda a: self._paths(a[0]),
            "os.removexattr": lambda a: self._paths(a[0]),
            "shutil.rmtree": lambda a: self._paths(a[0], dir_fds=(a[1],)),
            "socket.connect": self._connect,
            "socket.sendto": self._connect,
            "subprocess.Popen": self._popen,
        }

    def __call__(self, event: str, args: tuple[Any, ...]) -> None:
        check = self._checks.get(event)
        if check is not None:
            check(args)

    def _open(self, args: tuple[Any, ...]) -> None:
        path, _mode, flags = args
        if isinstance(flags, int) and flags & _WRITE_FLAGS:
            self._paths(path)

    def _paths(self, *paths: Any, dir_fds: tuple[Any, ...] = ()) -> None:
        for index, path in enumerate(paths):
            if isinstance(path, int):
                continue  # an open descriptor: it was checked when it was opened
            dir_fd = dir_fds[index] if index < len(dir_fds) else None
            self._check_path(os.fsdecode(path), dir_fd)

    def _check_path(self, path: str, dir_fd: Any) -> None:
        target = Path(path)
        if isinstance(dir_fd, int) and dir_fd >= 0 and not target.is_absolute():
            target = Path(f"/proc/self/fd/{dir_fd}").readlink() / target
        target = Path.cwd() / target  # unchanged when it is absolute already
        if str(target) in self._files:
            return
        # Both the entry itself (for unlink, rename) and what it points to (for open); a
        # ".." at the end is caught by the second.
        for candidate in (target.parent.resolve() / target.name, target.resolve()):
            if not self._inside(str(candidate)):
                raise PermissionError(
                    errno.EACCES,
                    "Refused: Tubestash writes only under its download, temp and archive folders",
                    str(target),
                )

    def _inside(self, path: str) -> bool:
        return any(path == root or path.startswith(root + os.sep) for root in self._roots)

    def _connect(self, args: tuple[Any, ...]) -> None:
        sock, address = args[0], args[-1]
        family = getattr(sock, "family", None)
        if family == socket.AF_UNIX:
            raise RefusedAddress(errno.EACCES, "Connection refused: local sockets are off limits")
        if family not in (socket.AF_INET, socket.AF_INET6) or not isinstance(address, tuple):
            return
        self._network.check_host(str(address[0]))

    def _popen(self, args: tuple[Any, ...]) -> None:
        # ffmpeg fetches some streams (HLS live, DASH with --downloader) by itself, out of
        # this hook's sight: its URLs are checked before it starts.
        for arg in args[1] or ():
            text = os.fsdecode(arg) if isinstance(arg, str | bytes) else ""
            if "://" in text:
                host = urlsplit(text).hostname
                if host:
                    self._network.check_host(host)
