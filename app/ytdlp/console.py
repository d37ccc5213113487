"""A console command: ``yt-dlp <args>`` run in a worker, its output sent line by line.

The worker is confined like any other (``app.sandbox``), and the arguments passed the
option policy in the server (``options.screen_console``). yt-dlp runs as its own command
line does (``yt_dlp.main``): configuration files are not read when arguments are given.
Both output streams are taken at the file-descriptor level, so what ffmpeg prints is
caught too. A worker that ran a console command is not used again: ``main`` leaves
process-wide state behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from app.workers.messages import Exited, Output

MAX_LINE = 16 * 1024  # characters of one line sent; the rest is cut
READ_SIZE = 64 * 1024
_LINE_END = re.compile(rb"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class ConsoleJob:
    args: list[str]
    cwd: str  # relative output paths land here (the download folder)


def console_child(job: ConsoleJob, conn: Connection) -> None:
    """Runs in a worker: yt-dlp's command line with its output on ``conn``."""
    lock = threading.Lock()

    def send(message: Output | Exited) -> None:
        with lock, contextlib.suppress(OSError, ValueError):
            conn.send(message)

    os.chdir(job.cwd)
    saved = {fd: os.dup(fd) for fd in (1, 2)}
    pumps = [_capture(fd, name, send) for fd, name in ((1, "stdout"), (2, "stderr"))]
    sys.stdout = open(1, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", buffering=1, encoding="utf-8", errors="replace", closefd=False)  # noqa: SIM115
    try:
        code = _run(job.args)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        for fd, copy in saved.items():
            os.dup2(copy, fd)  # closes the pipe's last write end here: the pump sees EOF
            os.close(copy)
        sys.stdout, sys.stderr = sys.__stdout__, sys.__stderr__
        for pump in pumps:
            pump.join()
    send(Exited(code))


def _run(args: list[str]) -> int:
    import yt_dlp  # already imported by the warm worker

    try:
        yt_dlp.main(args)
    except SystemExit as end:
        return _exit_code(end.code)
    except Exception as error:  # yt-dlp's own crash: the console shows it, like a terminal
        print(f"ERROR: {type(error).__name__}: {error}", file=sys.stderr)
        return 1
    return 0


def _exit_code(code: Any) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)  # sys.exit("message"): a terminal would show it
    return 1


def _capture(fd: int, name: str, send: Callable[[Output | Exited], None]) -> threading.Thread:
    read_end, write_end = os.pipe()
    os.dup2(write_end, fd)
    os.close(write_end)
    pump = threading.Thread(target=_pump, args=(read_end, name, send), daemon=True)
    pump.start()
    return pump


def _pump(read_end: int, name: str, send: Callable[[Output | Exited], None]) -> None:
    """Sends each line; a carriage return (a progress line redrawn) ends a line too, and
    the empty lines that leaves are not sent."""
    pending = b""
    with os.fdopen(read_end, "rb", buffering=0) as pipe:
        while chunk := pipe.read(READ_SIZE):
            *lines, pending = _LINE_END.split(pending + chunk)
            for line in lines:
                _send_line(line, name, send)
            pending = pending[-MAX_LINE * 4 :]
    _send_line(pending, name, send)


def _send_line(line: bytes, name: str, send: Callable[[Output | Exited], None]) -> None:
    if line.strip():
        send(Output(name, line.decode("utf-8", "replace")[:MAX_LINE]))
