"""Landlock, through ctypes: a process gives up writing anywhere but where it is told.

A worker calls ``confine_writes`` once, before its first job; the restriction cannot be
lifted, and every process it starts (ffmpeg, a shell, yt-dlp's ``--exec``) inherits it.
Reading and executing stay allowed everywhere: yt-dlp and ffmpeg read the whole system
(libraries, certificates, fonts), and the point is that a hostile page or extractor bug
cannot overwrite, delete or plant files outside the download folders.

Landlock checks a file when it is opened, so file descriptors the process already holds
(its pipe to the server, inherited stdout and stderr, a terminal) keep working as before.
"""

from __future__ import annotations

import ctypes
import errno
import functools
import os
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

# New system calls have had one number on every architecture since Linux 5.1, except
# alpha, ia64 and mips, which offset theirs; elsewhere 444 may be another call entirely.
_SYSCALL_ARCHES = frozenset({"x86_64", "aarch64", "armv7l", "armv8l", "i686", "riscv64"})
_SYS_CREATE_RULESET = 444
_SYS_ADD_RULE = 445
_SYS_RESTRICT_SELF = 446
_CREATE_RULESET_VERSION = 1 << 0
_RULE_PATH_BENEATH = 1
_PR_SET_NO_NEW_PRIVS = 38

# Access rights on files (include/uapi/linux/landlock.h), with the ABI that introduced them.
_WRITE_FILE = 1 << 1
_REMOVE_DIR = 1 << 4
_REMOVE_FILE = 1 << 5
_MAKE_CHAR = 1 << 6
_MAKE_DIR = 1 << 7
_MAKE_REG = 1 << 8
_MAKE_SOCK = 1 << 9
_MAKE_FIFO = 1 << 10
_MAKE_BLOCK = 1 << 11
_MAKE_SYM = 1 << 12
_REFER = 1 << 13  # ABI 2
_TRUNCATE = 1 << 14  # ABI 3
_IOCTL_DEV = 1 << 15  # ABI 5

_WRITE_RIGHTS = (
    _WRITE_FILE
    | _REMOVE_DIR
    | _REMOVE_FILE
    | _MAKE_CHAR
    | _MAKE_DIR
    | _MAKE_REG
    | _MAKE_SOCK
    | _MAKE_FIFO
    | _MAKE_BLOCK
    | _MAKE_SYM
)
_RIGHTS_SINCE = {2: _REFER, 3: _TRUNCATE, 5: _IOCTL_DEV}
# The only rights a rule on a file, rather than a directory, may carry (of those handled).
_FILE_RIGHTS = _WRITE_FILE | _TRUNCATE | _IOCTL_DEV


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),  # ABI 4
        ("scoped", ctypes.c_uint64),  # ABI 6
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [
        ("allowed_access", ctypes.c_uint64),
        ("parent_fd", ctypes.c_int32),
    ]


# Only handled_access_fs is filled; older kernels refuse a larger struct with unknown fields.
_RULESET_ATTR_SIZE = _RulesetAttr.handled_access_net.offset


def abi_version() -> int:
    """The Landlock ABI this kernel offers; 0 when it has none (or it is turned off)."""
    if sys.platform != "linux" or os.uname().machine not in _SYSCALL_ARCHES:
        return 0
    abi = _syscall(_SYS_CREATE_RULESET, None, 0, _CREATE_RULESET_VERSION)
    if abi >= 0:
        return abi
    code = ctypes.get_errno()
    # ENOSYS: built without it; EOPNOTSUPP: not in lsm=; EPERM: a container's seccomp filter.
    if code in (errno.ENOSYS, errno.EOPNOTSUPP, errno.EPERM):
        return 0
    raise _os_error(code)


def confine_writes(dirs: Iterable[Path], files: Iterable[Path] = ()) -> int:
    """Restricts this process (and its future children) to write only under `dirs` and to
    `files`; returns the ABI used, or 0 when Landlock is unavailable (nothing is changed
    then). Raises OSError if Landlock is available but the restriction fails.

    Paths that do not exist are skipped. Device ioctls are allowed where writes are (ABI 5
    on): a worker holds no device it may not write, and it needs none that it may not.
    On ABI 1 a file cannot move to another directory at all (the kernel answers EXDEV, so
    ``shutil.move`` falls back to copying).
    """
    abi = abi_version()
    if abi == 0:
        return 0
    handled = _handled_rights(abi)
    ruleset = _create_ruleset(handled)
    try:
        for path in dirs:
            _allow(ruleset, path, handled)
        for path in files:
            _allow(ruleset, path, handled & _FILE_RIGHTS)
        _restrict_self(ruleset)
    finally:
        os.close(ruleset)
    return abi


def _handled_rights(abi: int) -> int:
    """The write-type rights a ruleset handles (denies unless a rule allows) on `abi`."""
    rights = _WRITE_RIGHTS
    for since, right in _RIGHTS_SINCE.items():
        if abi >= since:
            rights |= right
    return rights


def _create_ruleset(handled: int) -> int:
    attr = _RulesetAttr(handled_access_fs=handled)
    return _check(_syscall(_SYS_CREATE_RULESET, ctypes.byref(attr), _RULESET_ATTR_SIZE, 0))


def _allow(ruleset: int, path: Path, rights: int) -> None:
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except (FileNotFoundError, NotADirectoryError):
        return
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            rights &= _FILE_RIGHTS
        attr = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        _check(_syscall(_SYS_ADD_RULE, ruleset, _RULE_PATH_BENEATH, ctypes.byref(attr), 0))
    finally:
        os.close(fd)


def _restrict_self(ruleset: int) -> None:
    # Without no_new_privs, an unprivileged process may not restrict itself (and a setuid
    # program it runs could otherwise be confused by the restriction).
    one, zero = ctypes.c_ulong(1), ctypes.c_ulong(0)
    _check(_libc().prctl(_PR_SET_NO_NEW_PRIVS, one, zero, zero, zero))
    _check(_syscall(_SYS_RESTRICT_SELF, ruleset, 0))


def _syscall(number: int, *args: object) -> int:
    # syscall(2) is variadic and reads every argument as a long: widen ints explicitly.
    syscall = _libc().syscall
    syscall.restype = ctypes.c_long
    longs = [ctypes.c_long(a) if isinstance(a, int) else a for a in (number, *args)]
    result: int = syscall(*longs)
    return result


@functools.cache
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _check(result: int) -> int:
    if result < 0:
        raise _os_error(ctypes.get_errno())
    return result


def _os_error(code: int) -> OSError:
    return OSError(code, f"Landlock: {os.strerror(code)}")
