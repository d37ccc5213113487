"""Worker processes, and the jobs they run, without blocking the event loop.

Workers are forked by multiprocessing's forkserver, which has imported the pool's
``preload`` module (for yt-dlp jobs, ``app.ytdlp.warm``: yt-dlp itself). When the server
has a zygote (``app.workers.prefork``), that forkserver is let go once the last worker
has ended, and started again for the next job. A worker runs one
job at a time (``app.workers.worker``); when its job ends cleanly it waits, idle, for the
next one, so a batch of downloads pays for a handful of forks, not one per item. A job that
is stopped (cancel, pause, shutdown) takes its worker with it: a stop always ends the
process group. The pool carries a job's messages without reading them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import multiprocessing
import os
import signal
from collections.abc import AsyncIterator, Callable
from multiprocessing import forkserver
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from app.sandbox import guard, landlock
from app.sandbox.guard import Confinement
from app.workers.messages import Command, JobDone, NextJob, Target
from app.workers.prefork import Zygote
from app.workers.worker import serve

log = logging.getLogger(__name__)

CANCEL_GRACE = 0.5  # seconds between SIGINT and SIGKILL
IDLE_SECONDS = 3.0  # an idle worker ends after this long: its memory is back soon after a batch
MAX_JOBS = 50  # jobs one worker runs before it is replaced, bounding what yt-dlp may leak


class Child:
    """A worker process and the job it runs: the job's messages, its end, and a stop."""

    def __init__(self, process: BaseProcess, conn: Connection) -> None:
        self.process = process
        self.pid = process.pid  # kept: a closed Process object refuses every question
        self.jobs = 1
        self._conn = conn
        self._closed = False
        self._stopped = False
        self._loop = asyncio.get_running_loop()
        self._messages: asyncio.Queue[object] = asyncio.Queue()
        self._job_ended: asyncio.Future[int | None] = self._loop.create_future()
        self._exited: asyncio.Future[int | None] = self._loop.create_future()
        self._idle_timer: asyncio.TimerHandle | None = None
        self._loop.add_reader(conn.fileno(), self._on_readable)
        self._loop.add_reader(process.sentinel, self._on_exit)

    def _on_readable(self) -> None:
        try:
            while self._conn.poll():
                message = self._conn.recv()
                if type(message) is JobDone:
                    self._end_job(0)
                else:
                    self._messages.put_nowait(message)
        except (EOFError, OSError):
            self._loop.remove_reader(self._conn.fileno())
            self._messages.put_nowait(None)

    def _on_exit(self) -> None:
        self._loop.remove_reader(self.process.sentinel)
        code = self.process.exitcode
        if not self._exited.done():
            self._exited.set_result(code)
        self._end_job(code)
        self._close()

    def _end_job(self, code: int | None) -> None:
        if not self._job_ended.done():
            self._job_ended.set_result(code)
            self._messages.put_nowait(None)

    @property
    def exited(self) -> bool:
        return self._exited.done()

    @property
    def busy(self) -> bool:
        return not self._job_ended.done()

    @property
    def reusable(self) -> bool:
        """The last job ended cleanly and the process is still there to take another."""
        return self._job_ended.done() and not self._stopped and not self._exited.done()

    def begin(self, target: Target, job: Any) -> None:
        """Hands an idle worker its next job."""
        self.cancel_idle_timer()
        self.jobs += 1
        self._messages = asyncio.Queue()
        self._job_ended = self._loop.create_future()
        self._conn.send(NextJob(target, job))

    def send(self, command: Command) -> None:
        """A command to a job that waits for one (a probe offering its handoff)."""
        # If it has gone, its messages end, and whoever follows them sees that.
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(command)

    async def messages(self) -> AsyncIterator[object]:
        """The current job's messages; the stream ends with the job (or the process).

        Whatever the job sent (``app.workers.messages`` for the yt-dlp jobs): the reader
        matches on the types it expects.
        """
        queue = self._messages
        while (message := await queue.get()) is not None:
            yield message

    async def wait(self) -> int | None:
        """Waits for the job to end: 0 when it ended cleanly, else the exit code."""
        return await asyncio.shield(self._job_ended)

    async def ended(self) -> int | None:
        """Waits for the worker process itself to end; its exit code."""
        return await asyncio.shield(self._exited)

    def signal_group(self, signum: int) -> None:
        pid = self.pid
        if pid is None or self._exited.done():
            return
        try:
            os.killpg(pid, signum)
        except ProcessLookupError:
            # The child has not called setsid() yet: signal it alone.
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    async def stop(self) -> None:
        """SIGINT to the worker's process group, SIGKILL after a short grace."""
        self._stopped = True
        self.cancel_idle_timer()
        if self._closed:
            return
        self.signal_group(signal.SIGINT)
        try:
            await asyncio.wait_for(asyncio.shield(self._exited), CANCEL_GRACE)
        except TimeoutError:
            self.signal_group(signal.SIGKILL)
            await self._exited
        # ffmpeg and friends share the group: make sure none outlives the worker.
        if self.pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.pid, signal.SIGKILL)
        self._close()

    def let_go(self) -> None:
        """Ends an idle worker: it exits when its pipe closes."""
        self._stopped = True
        self.cancel_idle_timer()
        self._close_pipe()

    def expire_after(self, seconds: float, expire: Callable[[Child], None]) -> None:
        self._idle_timer = self._loop.call_later(seconds, expire, self)

    def cancel_idle_timer(self) -> None:
        if self._idle_timer is not None:
            self._idle_timer.cancel()
            self._idle_timer = None

    def _close(self) -> None:
        if self._closed or not self._exited.done():
            return
        self._closed = True
        self.cancel_idle_timer()
        self._close_pipe()
        with contextlib.suppress(ValueError):
            self.process.close()

    def _close_pipe(self) -> None:
        if not self._conn.closed:
            self._loop.remove_reader(self._conn.fileno())
            self._conn.close()


class WorkerPool:
    def __init__(
        self,
        preload: str | None = None,
        *,
        keep_idle: int = 4,
        idle_seconds: float = IDLE_SECONDS,
        max_jobs: int = MAX_JOBS,
        confinement: Confinement | None = None,
        forks: Zygote | None = None,
    ) -> None:
        self._confinement = confinement
        self._forks = forks
        self._ctx = multiprocessing.get_context("forkserver")
        if preload:  # one forkserver serves every pool of this process
            self._ctx.set_forkserver_preload([preload])
        self._keep_idle = keep_idle
        self._idle_seconds = idle_seconds
        self._max_jobs = max_jobs
        self._children: set[Child] = set()
        self._idle: list[Child] = []

    async def start_server(self) -> None:
        """Starts the forkserver (and its yt-dlp import) off the loop, ahead of need. One from
        a zygote ends again if no job came by the time an idle worker would have ended."""
        if self._confinement is not None:
            await asyncio.to_thread(guard.clear_workdirs, self._confinement.temp)
            if not landlock.abi_version():
                log.warning(
                    "Landlock is not available on this kernel: workers are confined by "
                    "Tubestash's own checks only"
                )
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, forkserver.ensure_running)
        if self._forks is not None:
            loop.call_later(self._idle_seconds, self._let_forkserver_go)

    async def spawn(self, target: Target, job: Any) -> Child:
        """Runs ``target(job, conn)`` in an idle worker, or in a new one."""
        while self._idle:
            child = self._idle.pop()
            if child.reusable:
                with contextlib.suppress(OSError, ValueError):
                    child.begin(target, job)
                    self._children.add(child)
                    return child
            child.let_go()
        return await self._start(target, job)

    async def _start(self, target: Target, job: Any) -> Child:
        ours, theirs = self._ctx.Pipe(duplex=True)
        process = self._ctx.Process(
            target=serve, args=(NextJob(target, job), theirs, self._confinement), daemon=True
        )
        try:
            await asyncio.get_running_loop().run_in_executor(None, process.start)
        finally:
            theirs.close()  # the child holds its own copy; EOF arrives when it exits
        child = Child(process, ours)
        self._children.add(child)
        return child

    def release(self, child: Child) -> None:
        """Takes back a child whose job is over: idle for the next job, or let go."""
        self._children.discard(child)
        if child.busy:
            # Given up mid-job (its owner should have stopped it): nothing may keep running.
            child.signal_group(signal.SIGKILL)
        elif child.reusable:
            if child.jobs < self._max_jobs and len(self._idle) < self._keep_idle:
                self._idle.append(child)
                child.expire_after(self._idle_seconds, self._expire)
                return
            child.let_go()
        self._let_forkserver_go()

    def _expire(self, child: Child) -> None:
        with contextlib.suppress(ValueError):
            self._idle.remove(child)
        child.let_go()
        self._let_forkserver_go()

    def _let_forkserver_go(self) -> None:
        """No worker left: the forkserver's memory goes back with theirs."""
        if self._forks is not None and not self._children and not self._idle:
            self._forks.let_go()

    def pids(self) -> list[int]:
        """Process ids of the workers running a job (for tests and diagnostics)."""
        return [c.pid for c in self._children if c.pid is not None and not c.exited and c.busy]

    async def close(self) -> None:
        children = [*self._children, *self._idle]
        self._idle.clear()
        await asyncio.gather(*(child.stop() for child in children), return_exceptions=True)
        self._children.clear()
        self._let_forkserver_go()
