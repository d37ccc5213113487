"""Workers' forkserver, forked from the server's own memory when needed, gone when idle.

multiprocessing starts its forkserver as a fresh interpreter, which imports yt-dlp and the
worker modules again (40-50 MiB that the server has imported already, held for as long as
the server runs), and a resource tracker beside it (another bare interpreter). Here:

- right after the server's imports, before its event loop or any thread exists (a fork is
  only safe then), the server forks a *zygote*. It shares the server's pages
  copy-on-write and does one thing: fork a forkserver when the server asks for one. The
  garbage collector is frozen first, or a full collection in either process would write
  to every object's header and so copy nearly every shared page;
- the forkserver (multiprocessing's own ``forkserver.main``, the protocol its ``Process``
  objects speak) is forked from the zygote when the server asks (``ensure_running``), so
  it starts in a fraction of a second: yt-dlp is already in its memory, only ``preload``
  (the extractors' URL patterns, 0.3 s of CPU) is left to do. It ends when the server lets
  it go (``let_go``: the pool does when no worker is left) and its last worker has ended,
  and the next job asks for another;
- no resource tracker runs. It unlinks named semaphores and shared memory a crashed
  process leaves behind; workers and the delivery process create neither (they talk over
  pipes and sockets), so the tracker's descriptor is ``/dev/null``.

This leans on multiprocessing's forkserver internals (``forkserver.main``'s arguments,
``ForkServer``'s state), so it is used only where they are the ones it was written
against (Python 3.11 to 3.13 on Linux); anywhere else ``start`` returns False and
multiprocessing runs its own forkserver the usual way.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import inspect
import logging
import os
import select
import signal
import socket
import struct
import sys
import threading
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing import connection, forkserver, resource_tracker, spawn, util
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

_PR_SET_NAME = 15
_MAIN_PARAMETERS = ["listener_fd", "alive_r", "preload", "main_path", "sys_path"]
_STATE_FIELDS = ("_forkserver_pid", "_forkserver_address", "_forkserver_alive_fd")
_PID = struct.Struct("i")


@dataclass
class Zygote:
    """The server's end: the zygote's socket, and the forkserver it forked last."""

    sock: socket.socket
    server: forkserver.ForkServer
    lock: threading.RLock = field(default_factory=threading.RLock)
    pidfd: int | None = None  # the running forkserver's, readable once it has ended
    pinned: bool = False  # a long-lived process (the delivery process) holds it
    gone: bool = False  # the zygote ended: multiprocessing's own forkserver from then on

    def ensure_running(self) -> None:
        """A forkserver is running when this returns (``ForkServer.ensure_running``)."""
        with self.lock:
            if self.gone:
                forkserver.ForkServer.ensure_running(self.server)
                return
            if self.pidfd is not None and not _ended(self.pidfd):
                return
            self._forget()
            try:
                self._start()
            except OSError:
                # Downloads go on without it: multiprocessing's own forkserver, spawned.
                log.warning("the workers' zygote has gone: workers come from a new forkserver")
                self.gone = True
                self._forget()
                forkserver.ForkServer.ensure_running(self.server)

    def _start(self) -> None:
        """Asks the zygote for a forkserver, and hands it to multiprocessing."""
        with socket.socket(socket.AF_UNIX) as listener:
            address = connection.arbitrary_address("AF_UNIX")  # type: ignore[attr-defined]
            listener.bind(address)
            if not util.is_abstract_socket_namespace(address):
                Path(address).chmod(0o600)
            listener.listen()
            # Every client holds the write end of the "alive" pipe: the forkserver ends
            # when the read end sees the last of them close.
            alive_r, alive_w = os.pipe()
            try:
                pid, self.pidfd = self._ask(listener.fileno(), alive_r)
            except BaseException:
                os.close(alive_w)
                raise
            finally:
                os.close(alive_r)
        state = self.server.__dict__
        state["_forkserver_address"] = address
        state["_forkserver_alive_fd"] = alive_w
        state["_forkserver_pid"] = pid

    def connect_to_new_process(self, fds: Sequence[int]) -> tuple[int, int]:
        # Held across the whole request, so that ``let_go`` cannot close the alive pipe
        # between the check that a forkserver runs and the descriptors being sent to it.
        with self.lock:
            self.ensure_running()
            return forkserver.ForkServer.connect_to_new_process(self.server, fds)

    def let_go(self) -> None:
        """The server needs no forkserver now: it ends once its last worker has ended."""
        # Called on the loop: never waits. A process being started holds the lock, and
        # the forkserver is wanted then anyway.
        if not self.lock.acquire(blocking=False):
            return
        try:
            if not self.pinned and not self.gone:
                self._forget()
        finally:
            self.lock.release()

    def pin(self) -> None:
        """A process that lives as long as the server was forked: keep its forkserver."""
        self.pinned = True  # one store, read under the lock by let_go: no wait on the loop

    def _forget(self) -> None:
        """Drops the server's hold on the forkserver; it ends once its workers have."""
        state = self.server.__dict__
        if state.get("_forkserver_alive_fd") is not None:
            os.close(state["_forkserver_alive_fd"])
        for name in _STATE_FIELDS:
            state[name] = None
        if self.pidfd is not None:
            os.close(self.pidfd)
            self.pidfd = None

    def _ask(self, listener_fd: int, alive_r: int) -> tuple[int, int]:
        socket.send_fds(self.sock, [b"F"], [listener_fd, alive_r])  # OSError once it ended
        data, fds, _, _ = socket.recv_fds(self.sock, _PID.size, 1)
        if len(data) != _PID.size or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            raise OSError("the workers' zygote has gone")
        return _PID.unpack(data)[0], fds[0]


def start(preload: Sequence[str]) -> Zygote | None:
    """Forks the zygote. None, having started nothing, where forking is not safe or
    multiprocessing's protocol is not the one known here."""
    server = forkserver._forkserver
    tracker = resource_tracker._resource_tracker
    if not _supported(server, tracker):
        return None
    gc.freeze()
    server.set_forkserver_preload(list(preload))
    data = spawn.get_preparation_data("ignore")
    options: dict[str, Any] = {k: data[k] for k in ("main_path", "sys_path") if k in data}
    ours, theirs = socket.socketpair()
    _fork(lambda: _serve(theirs, list(preload), options), "ts-zygote", keep=(theirs.fileno(),))
    theirs.close()
    setattr(tracker, "_fd", os.open(os.devnull, os.O_WRONLY | os.O_CLOEXEC))  # noqa: B010
    zygote = Zygote(ours, server)
    # multiprocessing's forkserver is one per process, and so is this: ForkServer's own
    # methods (Process.start goes through them) find the instance's attributes first,
    # the module's functions are what its other callers use.
    for owner in (server, forkserver):
        setattr(owner, "ensure_running", zygote.ensure_running)  # noqa: B010
        setattr(owner, "connect_to_new_process", zygote.connect_to_new_process)  # noqa: B010
    return zygote


def _supported(server: object, tracker: object) -> bool:
    if sys.platform != "linux" or threading.active_count() > 1:
        return False
    if not all(hasattr(os, name) for name in ("pidfd_open", "register_at_fork")):
        return False
    try:
        os.close(os.pidfd_open(os.getpid()))
        parameters = list(inspect.signature(forkserver.main).parameters)
    except (OSError, TypeError, ValueError):
        return False
    return (
        parameters == _MAIN_PARAMETERS
        and all(hasattr(server, name) for name in _STATE_FIELDS)
        and getattr(server, "_forkserver_pid", 0) is None  # none started, none replaced
        and getattr(tracker, "_fd", 0) is None
    )


def _serve(sock: socket.socket, preload: list[str], options: dict[str, Any]) -> None:
    """The zygote: forks a forkserver for each request, until the server has gone."""
    # A forkserver that ended is reaped at once (a Python handler: recv is resumed after).
    signal.signal(signal.SIGCHLD, lambda *_: _reap())
    while True:
        try:
            data, fds, _, _ = socket.recv_fds(sock, 1, 2)
        except OSError:
            return
        if not data or len(fds) != 2:
            return
        listener_fd, alive_r = fds
        # Not reaped before its pidfd is open, so the number cannot name another process.
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = _fork(
                functools.partial(forkserver.main, listener_fd, alive_r, preload, **options),
                "ts-forkserver",
                keep=(listener_fd, alive_r),
            )
            pidfd = os.pidfd_open(pid)
        finally:
            os.close(listener_fd)
            os.close(alive_r)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
        try:
            socket.send_fds(sock, [_PID.pack(pid)], [pidfd])
        finally:
            os.close(pidfd)


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _ended(pidfd: int) -> bool:
    poller = select.poll()
    poller.register(pidfd, select.POLLIN)
    return bool(poller.poll(0))


def _fork(run: Callable[[], object], name: str, keep: Sequence[int]) -> int:
    pid = os.fork()
    if pid:
        return pid
    code = 0
    try:
        _name_process(name)
        _close_fds(keep)
        for number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(number, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_SETMASK, set())
        run()
    except SystemExit as stop:  # the forkserver's way out once its clients have gone
        code = stop.code if isinstance(stop.code, int) else 0
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        # Never the interpreter's exit: it would run the server's finalizers and atexit
        # handlers (flushing its buffers, closing its files) a second time, here.
        os._exit(code)


def _close_fds(keep: Sequence[int]) -> None:
    """Everything the server had open, but stdio and ``keep``, is not this process's."""
    kept = {0, 1, 2, *keep}
    for entry in Path("/proc/self/fd").iterdir():
        if int(entry.name) not in kept:
            with contextlib.suppress(OSError):  # the listing's own descriptor, closed
                os.close(int(entry.name))


def _name_process(name: str) -> None:
    """What ``ps -o comm`` and ``top`` show: the command line stays the server's."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).prctl(_PR_SET_NAME, name.encode()[:15], 0, 0, 0)
