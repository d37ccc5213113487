"""The delivery process: webhook and apprise requests, off the server's CPU.

It runs at the lowest CPU priority, so the kernel gives the download workers the cores
first and delivery fills the gaps: a notice may arrive a little later, never dropped for
it. It reads commands from its socket (``app.notifications.wire``), keeps the target
snapshot and the lanes, and sends its log lines back for the server's log. It ends at the
end of its socket, or with the server (``detach``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from concurrent.futures import ThreadPoolExecutor

from app.notifications import wire
from app.notifications.delivery import RetryPolicy, Sender
from app.notifications.events import Notice
from app.notifications.lanes import Lanes
from app.notifications.models import NotificationModel
from app.notifications.network import client_session
from app.sandbox.network import NetworkPolicy
from app.workers.worker import detach, lower_priority

NICE = 19
APPRISE_THREADS = 4


def serve(sock: socket.socket, policy: NetworkPolicy, retry: RetryPolicy) -> None:
    detach()
    lower_priority(NICE)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(sock, policy, retry))


class _Forward(logging.Handler):
    """Log records, as ``Logged`` messages, to the server (from any thread)."""

    def __init__(self, loop: asyncio.AbstractEventLoop, writer: asyncio.StreamWriter) -> None:
        super().__init__(logging.INFO)
        self._loop = loop
        self._writer = writer

    def emit(self, record: logging.LogRecord) -> None:
        message = wire.Logged(record.name, record.levelno, record.getMessage())
        with contextlib.suppress(RuntimeError):  # the loop has closed
            self._loop.call_soon_threadsafe(self._write, wire.frame(message))

    def _write(self, data: bytes) -> None:
        if not self._writer.is_closing():
            self._writer.write(data)


class _Ended(Exception):
    """The server closed the socket."""


async def _serve(sock: socket.socket, policy: NetworkPolicy, retry: RetryPolicy) -> None:
    reader, writer = await asyncio.open_connection(sock=sock)
    logger = logging.getLogger("app.notifications")
    logger.addHandler(_Forward(asyncio.get_running_loop(), writer))
    logger.setLevel(logging.INFO)
    logger.propagate = False
    writer.write(wire.frame(wire.Ready()))
    executor = ThreadPoolExecutor(APPRISE_THREADS, thread_name_prefix="apprise")
    try:
        async with client_session(policy) as session, asyncio.TaskGroup() as group:
            lanes = Lanes(Sender(session, executor, policy, retry), group)
            await _commands(reader, writer, lanes, group)
            raise _Ended  # cancels the lanes and the questions still open
    except* _Ended:
        pass
    finally:
        # A plugin stuck in a thread is not waited for: the process ends anyway.
        executor.shutdown(wait=False, cancel_futures=True)
        writer.close()


async def _commands(
    reader: asyncio.StreamReader,
    writer: asyncio.StreamWriter,
    lanes: Lanes,
    group: asyncio.TaskGroup,
) -> None:
    while True:
        try:
            command = await wire.read(reader)
        except (asyncio.IncompleteReadError, ConnectionError):
            return  # the server let us go
        match command:
            case wire.Deliver(ask=ask, notices=notices, targets=targets):
                if targets is not None:
                    lanes.keep(targets)
                for notice in notices:
                    lanes.put(notice)
                writer.write(wire.frame(wire.Answer(ask)))
            case wire.Test(ask=ask, targets=targets, notice=notice):
                group.create_task(_test(writer, lanes, ask, targets, notice))
            case wire.Settle(ask=ask):
                group.create_task(_settle(writer, lanes, ask))


async def _test(
    writer: asyncio.StreamWriter,
    lanes: Lanes,
    ask: int,
    targets: tuple[NotificationModel, ...],
    notice: Notice,
) -> None:
    results = await lanes.test(targets, notice)
    writer.write(wire.frame(wire.Answer(ask, tuple(results))))


async def _settle(writer: asyncio.StreamWriter, lanes: Lanes, ask: int) -> None:
    await lanes.settled()
    writer.write(wire.frame(wire.Answer(ask)))
