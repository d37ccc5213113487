"""The scheduling state machine: which pending items start, and what a stopped one becomes.

It holds no processes and does no I/O: the queue asks it what to do and does it, so the
rules (worker limits, per-extractor limits, pause, queue order, items started now past
the limits, retries held back until their delay has passed) are tested on their own.
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


MAX_RETRY_DELAY = 3600.0  # seconds


def retry_delay(attempt: int, first: float) -> float:
    """Seconds before retry number ``attempt`` (1, 2, ...): doubling, at most an hour."""
    return min(MAX_RETRY_DELAY, first * 2.0 ** (attempt - 1))


class Schedule:
    """Running downloads and the queue-wide pause; chooses what starts next."""

    def __init__(self, limits: Limits, *, paused: bool = False) -> None:
        self.limits = limits
        self.paused = paused
        self.running: dict[str, RunningDownload] = {}
        self.now: set[str] = set()  # to start at once, past the limits and the pause
        self.held: dict[str, float] = {}  # retries: not before this (monotonic) time

    def start_now(self, uid: str) -> None:
        self.now.add(uid)
        self.held.pop(uid, None)

    def hold(self, uid: str, until: float) -> None:
        self.held[uid] = until

    def forget(self, uid: str) -> None:
        """The item left the queue."""
        self.now.discard(uid)
        self.held.pop(uid, None)

    def next_release(self) -> float | None:
        """When the first held retry may start (monotonic), if any is held."""
        return min(self.held.values(), default=None)

    def may_start(self, item: Item) -> bool:
        """Whether an item just added would start by itself (so its probe is kept warm)."""
        return item.auto_start and not self.paused

    def startable(self, queue: Iterable[Item], now: float = 0.0) -> list[Item]:
        """Pending items to start now, in queue order, within the limits.

        Items started now come first, whatever the limits and the pause. An item over its
        site's limit is passed over, not waited for: an item of another site behind it may
        start. A retry waits until ``now`` (monotonic) reaches its time.
        """
        items = list(queue)
        chosen = [i for i in items if i.uid in self.now and self._waiting(i)]
        taken = {i.uid for i in chosen}
        self.now -= taken
        if self.paused:
            return chosen
        free = self.limits.workers - len(self.running) - len(chosen)
        per_site = Counter(_site(running.item) for running in self.running.values())
        per_site.update(_site(item) for item in chosen)
        for item in items:
            if free <= 0:
                break
            if item.uid in taken or not item.auto_start or not self._waiting(item):
                continue
            if self.held.get(item.uid, now) > now:
                continue
            if per_site[_site(item)] >= self.limits.per_extractor:
                continue
            per_site[_site(item)] += 1
            free -= 1
            chosen.append(item)
        return chosen

    def _waiting(self, item: Item) -> bool:
        return item.status == Status.PENDING and item.uid not in self.running

    def began(self, item: Item) -> RunningDownload:
        running = RunningDownload(item)
        self.running[item.uid] = running
        self.held.pop(item.uid, None)
        return running

    def ended(self, uid: str) -> None:
        self.running.pop(uid, None)


class After(StrEnum):
    """What becomes of an item whose download has stopped."""

    KEEP = "keep"  # left as stored: the server stops, it resumes at the next start
    DROP = "drop"  # being deleted: nothing of it stays
    REQUEUE = "requeue"  # paused: back to pending, its partial file kept for a resume
    RETRY = "retry"  # a transient error: back to pending, tried again after a delay
    FINISH = "finish"  # to history with ``status``


@dataclass(frozen=True, slots=True)
class Settlement:
    after: After
    discard_temp: bool = False  # the partial files go
    status: Status | None = None  # for FINISH


def settle(reason: StopReason | None, outcome: Outcome, retries_left: int = 0) -> Settlement:
    """The transition for a download that has stopped, by why it stopped and how it ended.

    A transient error with retries left goes back to the queue; its partial file stays.
    """
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
    if outcome.status == Status.ERROR and outcome.transient and retries_left > 0:
        return Settlement(After.RETRY)
    cancelled = outcome.status == Status.CANCELLED
    # A transient error out of retries still has the partial file kept for a retry.
    discard = cancelled or outcome.transient
    return Settlement(After.FINISH, discard_temp=discard, status=outcome.status)
