"""The server's side of the delivery process: starts it, restarts it when it dies, and
talks to it over a socket pair without ever blocking the loop (asyncio streams: a send
is buffered, ``drain()`` waits while the buffer is full).

The process is forked from the forkserver the worker pool uses (``app.workers.pool``;
it keeps it running: ``app.workers.prefork``) when first needed (a notice, a test, a
question): a server without targets runs none. Its log
lines come back as messages and are logged here, under the logger that wrote them.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import multiprocessing
import socket
from collections.abc import Callable
from multiprocessing.process import BaseProcess

from app.notifications import wire
from app.notifications.courier_process import serve
from app.notifications.delivery import Delivery, RetryPolicy
from app.notifications.events import Notice
from app.notifications.models import NotificationModel
from app.notifications.service import NotificationService
from app.sandbox.network import NetworkPolicy
from app.workers.prefork import Zygote

log = logging.getLogger(__name__)

RESTART_DELAY = 1.0  # seconds before a process that died is started again
STOP_GRACE = 2.0  # seconds between closing its socket and SIGKILL


class Courier:
    def __init__(
        self,
        targets: NotificationService,
        policy: NetworkPolicy,
        retry: RetryPolicy,
        *,
        restart_delay: float = RESTART_DELAY,
        forks: Zygote | None = None,
    ) -> None:
        self._targets = targets
        self._policy = policy
        self._retry = retry
        self._restart_delay = restart_delay
        self._ctx = multiprocessing.get_context("forkserver")
        self._forks = forks
        self._writer: asyncio.StreamWriter | None = None
        self._up = asyncio.Event()
        # Started on first need: a server without notification targets runs no process.
        self._wanted = asyncio.Event()
        self._asks = itertools.count(1)
        self._pending: dict[int, asyncio.Future[wire.Answer | None]] = {}
        self.pid: int | None = None
        # The longest a test may take: every attempt and every backoff, and a margin.
        self.test_timeout = (
            retry.timeout * retry.attempts
            + retry.backoff * (2 ** max(retry.attempts - 1, 0) - 1)
            + 5.0
        )

    # -- the process's life -------------------------------------------------------------

    async def run(self) -> None:
        """Keeps one delivery process running, once one is needed, until cancelled."""
        await self._wanted.wait()
        while True:
            code = await self._run_once()
            log.warning(
                "the notification delivery process ended (exit code %s): restarting it", code
            )
            await asyncio.sleep(self._restart_delay)

    async def _run_once(self) -> int | None:
        ours, theirs = socket.socketpair()
        process = self._ctx.Process(
            target=serve, args=(theirs, self._policy, self._retry), daemon=True
        )
        if self._forks is not None:
            # It lives as long as the server: the forkserver it comes from stays, rather
            # than one more being started for the next downloads while it holds this one.
            self._forks.pin()
        try:
            with theirs:  # the process holds its own copy: EOF comes when it ends
                await _start(process)
            reader, self._writer = await asyncio.open_connection(sock=ours)
            await self._read(reader, process)
            return await _exited(process)
        finally:
            if self._writer is None:  # else the writer owns it, and closes it
                ours.close()
            self._down()
            await _stop(process)

    def _ready(self, process: BaseProcess) -> None:
        """The process has lowered its priority: questions may go to it now (the outbox
        sends its batches as ``Deliver`` questions, asked again of the next process if
        this one dies first)."""
        self.pid = process.pid
        self._up.set()

    async def _read(self, reader: asyncio.StreamReader, process: BaseProcess) -> None:
        while True:
            try:
                message = await wire.read(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                return
            match message:
                case wire.Ready():
                    self._ready(process)
                case wire.Logged(logger=name, level=level, message=text):
                    logging.getLogger(name).log(level, "%s", text)
                case wire.Answer(ask=ask) as answer:
                    future = self._pending.get(ask)
                    if future is not None and not future.done():
                        future.set_result(answer)

    def _down(self) -> None:
        self._up.clear()
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        for future in self._pending.values():  # their process has gone: ask the next one
            if not future.done():
                future.set_result(None)

    # -- what the outbox and the test button use ---------------------------------------

    async def ready(self) -> None:
        """Waits until a delivery process is running (starting the first one)."""
        self._wanted.set()
        await self._up.wait()

    async def ask(
        self, question: Callable[[int], wire.Command], within: float | None
    ) -> wire.Answer | None:
        """The process's answer, or None when none came in time. A process that dies
        before answering is asked again once the next one is up."""
        loop = asyncio.get_running_loop()
        self._wanted.set()
        ask = next(self._asks)
        try:
            async with asyncio.timeout(within):
                while True:
                    await self._up.wait()
                    future: asyncio.Future[wire.Answer | None] = loop.create_future()
                    self._pending[ask] = future
                    assert self._writer is not None
                    self._writer.write(wire.frame(question(ask)))
                    answer = await future
                    if answer is not None:
                        return answer
        except TimeoutError:
            return None
        finally:
            self._pending.pop(ask, None)

    async def test(self, targets: list[NotificationModel], notice: Notice) -> list[Delivery]:
        answer = await self.ask(lambda a: wire.Test(a, tuple(targets), notice), self.test_timeout)
        if answer is None:
            return [Delivery(False, 0, "no answer from the delivery process")] * len(targets)
        return list(answer.results)

    async def settled(self) -> None:
        if self._wanted.is_set():  # else nothing was ever sent
            await self.ask(wire.Settle, None)


async def _start(process: BaseProcess) -> None:
    """Starts the process off the loop; a cancel waits for the start to end, so that the
    process is there to be stopped."""
    start = asyncio.get_running_loop().run_in_executor(None, process.start)
    try:
        await asyncio.shield(start)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await start
        raise


async def _exited(process: BaseProcess) -> int | None:
    """Waits for the process to end (its sentinel becomes readable); its exit code."""
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def readable() -> None:
        if not ended.done():
            ended.set_result(None)

    loop.add_reader(process.sentinel, readable)
    try:
        await ended
    finally:
        loop.remove_reader(process.sentinel)
    return process.exitcode


async def _stop(process: BaseProcess) -> None:
    """Its socket is closed already, so it is ending: SIGKILL after a grace period."""
    if process.pid is None:
        return
    try:
        await asyncio.wait_for(_exited(process), STOP_GRACE)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            process.kill()
        await _exited(process)
    with contextlib.suppress(ValueError):
        process.close()
