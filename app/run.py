"""Runs the Application: start-up, serving and shutdown, and one way out of each.

aiohttp's ``run_app`` cleans up only after a start-up that finished: when one
``cleanup_ctx`` fails (a damaged database, a lock held by another server), the ones
before it stay open, and an open SQLite connection's thread keeps the process alive,
hanging. Here start-up, serving and shutdown share one ``finally``, so whatever start-up
opened is closed whether it finished, failed or was interrupted by a signal.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3

from aiohttp import web

from app import keys
from app.server import StartupError, database_path
from app.settings import Settings

log = logging.getLogger(__name__)

_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


async def serve(app: web.Application, settings: Settings) -> None:
    """Starts ``app`` and serves it until SIGINT or SIGTERM, or until the API asks for a
    stop (``POST /api/system/shutdown``, native mode); a failed start-up is a
    StartupError with a one-line message, after everything it opened is closed."""
    task = asyncio.current_task()
    assert task is not None
    stop = _StopSignal(task)
    # After a failed start-up aiohttp sends on_cleanup, which also reaches a sub-app
    # (YTP_BASE_PATH), only if the signal is frozen; it would be frozen after start-up.
    app.on_cleanup.freeze()
    runner = web.AppRunner(app)
    try:
        await _start(runner, settings)
        # Until a signal cancels this task, or a stop is asked for.
        await app[keys.LIFECYCLE].wait_for_stop()
    except asyncio.CancelledError:
        if not stop.received:
            raise
        task.uncancel()
    finally:
        await runner.cleanup()
        stop.remove()


async def _start(runner: web.AppRunner, settings: Settings) -> None:
    try:
        await runner.setup()  # every cleanup_ctx, in order
        await web.TCPSite(runner, settings.host, settings.port).start()
        await runner.app[keys.ACCESS].announce_first_key()
    except StartupError:
        raise
    except sqlite3.DatabaseError as error:
        raise StartupError(
            f"cannot use the database {database_path(settings)}: {error} (the file is left "
            "as it is: restore a backup or move it away to start afresh)"
        ) from error
    except Exception as error:
        # The boundary of start-up: whatever failed, the operator gets one line and the
        # process ends; the traceback is there for those who ask for debug logs.
        log.debug("start-up failed", exc_info=True)
        raise StartupError(f"start-up failed: {' '.join(str(error).split()) or error!r}") from error


class _StopSignal:
    """The first SIGINT or SIGTERM cancels the serving task, in start-up as in serving;
    the handlers are then removed, so a second signal ends the process at once."""

    def __init__(self, task: asyncio.Task[None]) -> None:
        self.received = False
        self._task = task
        self._loop = asyncio.get_running_loop()
        self._installed = True
        for number in _STOP_SIGNALS:
            self._loop.add_signal_handler(number, self._stop)

    def _stop(self) -> None:
        self.received = True
        self.remove()
        self._task.cancel()

    def remove(self) -> None:
        if self._installed:
            self._installed = False
            for number in _STOP_SIGNALS:
                self._loop.remove_signal_handler(number)
