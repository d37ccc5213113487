"""The scheduling state machine: which pending items start, and what a stopped one becomes.

It holds no processes and does no I/O: the queue asks it what to do and does it, so the
rules (worker limits, per-extractor limits, pause, queue order) are tested on their own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from app.downloads.models import Item, Status
from app.downloads.runner import Outcome, RunningDownload, StopReason


@dataclass(frozen=True, slots=True)
class Limits:
    workers: int  # downloads at once
    per_extractor: int  # downloads at once from one site (extractor)


def _site(item: Item) -> str:
    return (item.extractor or "").lower()


class Schedule:
    """Running downloads and the queue-wide pause; chooses what starts next."""

    def __init__(self, limits: Limits, *, paused: bool = False) -> None:
        self.limits = limits
        self.paused = paused
        self.running: dict[str, RunningDownload] = {}

    def may_start(self, item: Item) -> bool:
        """Whether an item just added would start by itself (so its probe is kept warm)."""
        return item.auto_start and not self.paused

    def startable(self, queue: Iterable[Item]) -> list[Item]:
        """Pending items to start now, in queue order, within the limits.

        An item over its site's limit is passed over, not waited for: an item of another
        site behind it may start.
        """
        if self.paused:
            return []
        free = self.limits.workers - len(self.running)
        per_site = Counter(_site(running.item) for running in self.running.values())
        chosen = []
        for item in queue:
            if free <= 0:
                break
            if item.status != Status.PENDING or not item.auto_start or item.uid in self.running:
                continue
            if per_site[_site(item)] >= self.limits.per_extractor:
                continue
            per_site[_site(item)] += 1
            free -= 1
            chosen.append(item)
        return chosen

    def began(self, item: Item) -> RunningDownload:
        running = RunningDownload(item)
        self.running[item.uid] = running
        return running

    def ended(self, uid: str) -> None:
        self.running.pop(uid, None)


class After(StrEnum):
    """What becomes of an item whose download has stopped."""

    KEEP = "keep"  # left as stored: the server stops, it resumes at the next start
    DROP = "drop"  # being deleted: nothing of it stays
    REQUEUE = "requeue"  # paused: back to pending, its partial file kept for a resume
    FINISH = "finish"  # to history with ``status``


@dataclass(frozen=True, slots=True)
class Settlement:
    after: After
    discard_temp: bool = False  # the partial files go
    status: Status | None = None  # for FINISH


def settle(reason: StopReason | None, outcome: Outcome) -> Settlement:
    """The transition for a download that has stopped, by why it stopped and how it ended."""
    if reason == StopReason.SHUTDOWN:
        return Settlement(After.KEEP)
    if reason == StopReason.DELETE:
        return Settlement(After.DROP, discard_temp=True)
    if outcome.status is None:  # stopped by a pause or a cancel
        if reason == StopReason.CANCEL:
            return Settlement(After.FINISH, discard_temp=True, status=Status.CANCELLED)
        if reason == StopReason.PAUSE:
            return Settlement(After.REQUEUE)
        return Settlement(After.KEEP)
    cancelled = outcome.status == Status.CANCELLED
    return Settlement(After.FINISH, discard_temp=cancelled, status=outcome.status)
