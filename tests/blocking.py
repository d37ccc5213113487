"""A guard that fails a test when the server's own code blocks the event loop.

``blockbuster`` (as aiohttp's own suite uses it) patches the blocking calls (``time.sleep``,
file reads and writes, ``os.stat``, ``os.scandir``, blocking sockets, ``sqlite3``...) so
that they raise ``BlockingError`` when they run on a thread with a running event loop and a
frame of the ``app`` package is on the stack: the server's code, not the test's. It fails on
the call itself, however fast, so it does not depend on the machine's load. Work sent to
an executor thread or a child process runs without a loop there and passes.

A handler's ``BlockingError`` becomes a 500 and a logged traceback (the error middleware);
a background task's is logged too. The guard collects every logged one, so a test fails
even where nothing looks at the answer.

What a process does once (an import, a cache filled on first use) is not what this is
for: tests make their calls once before the guard, then again under it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from blockbuster import BlockBuster, BlockingError

SCANNED = ["app"]

# Known blocking calls, allowed here by name so that nothing else is: (file, functions, why).
# Each is a follow-up for its owner, not a pattern to copy.
KNOWN = [
    # Request paths are checked against their root with symlinks resolved (realpath's
    # lstat calls), synchronously, in the one function every door uses; cheap on a local
    # disk. Moving it to a thread makes every caller async.
    ("app/core/paths.py", {"resolve_under", "relative_to_root"}, "path checks"),
    # Building yt-dlp's option parser looks for gettext catalogues (os.stat) each time:
    # every add whose preset or request has a cli parses it on the loop (found by
    # tests/offlinetube/test_loop.py; the native test adds without a cli).
    ("app/ytdlp/options.py", {"parse_cli"}, "yt-dlp's option parser"),
    # A worker that exited: its exit status is read from the forkserver's pipe once the
    # loop saw that pipe readable (Process.exitcode's os.read), so it returns at once.
    ("app/workers/pool.py", {"_on_exit"}, "exit status already sent"),
]


class _Found(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.calls: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BlockingError):
            self.calls.append(f"{error} ({record.getMessage()})")


@contextmanager
def loop_guard() -> Iterator[list[str]]:
    """Yields the blocking calls found so far; start it once the app has started (its
    start-up may block: it runs before any request) and leave it before shutdown."""
    found = _Found()
    root = logging.getLogger()
    root.addHandler(found)
    guard = BlockBuster(SCANNED)
    for function in guard.functions.values():
        for filename, names, _why in KNOWN:
            function.can_block_in(filename, names)
    guard.activate()
    try:
        yield found.calls
    finally:
        guard.deactivate()
        root.removeHandler(found)
