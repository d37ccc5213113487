"""What crosses the pipe between the server and the delivery process: one small frozen type
per kind, pickled with a length prefix on a local socket pair.

Server to courier, three questions: ``Deliver`` (the outbox's notices in one message, with
the target list when it changed or the process is new; answered once they are in their
lanes), ``Test`` and ``Settle``. Courier to server: ``Ready`` first, ``Answer`` to a
question, and ``Logged``, a log line for the server's own log.
"""

from __future__ import annotations

import asyncio
import pickle
import struct
from dataclasses import dataclass

from app.notifications.delivery import Delivery
from app.notifications.events import Notice
from app.notifications.models import NotificationModel

_LENGTH = struct.Struct("!I")


@dataclass(frozen=True, slots=True)
class Deliver:
    """Put ``notices`` in their targets' lanes, in order, after taking ``targets`` when
    given (the list changed, or this process has not had it); answer once done."""

    ask: int
    notices: tuple[Notice, ...]
    targets: tuple[NotificationModel, ...] | None = None


@dataclass(frozen=True, slots=True)
class Ready:
    """The process has lowered its priority and reads its commands."""


@dataclass(frozen=True, slots=True)
class Test:
    """Send ``notice`` to ``targets`` now, whatever their events; answer with each result."""

    ask: int
    targets: tuple[NotificationModel, ...]
    notice: Notice


@dataclass(frozen=True, slots=True)
class Settle:
    """Answer once everything sent before this was tried."""

    ask: int


@dataclass(frozen=True, slots=True)
class Answer:
    ask: int
    results: tuple[Delivery, ...] = ()


@dataclass(frozen=True, slots=True)
class Logged:
    logger: str
    level: int
    message: str  # already formatted: never a target's URL or headers


Command = Deliver | Test | Settle
Report = Ready | Answer | Logged


def frame(message: Command | Report) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return _LENGTH.pack(len(data)) + data


async def read(reader: asyncio.StreamReader) -> object:
    """The next message; ``asyncio.IncompleteReadError`` at the end of the stream."""
    (length,) = _LENGTH.unpack(await reader.readexactly(_LENGTH.size))
    return pickle.loads(await reader.readexactly(length))
