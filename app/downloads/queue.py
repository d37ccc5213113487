"""The download queue: what is waiting or running, and every command on it.

The queue lives in memory (it is small); history lives in SQLite. Every change is written
to SQLite before it is published on the event bus, so a crash loses nothing that an API
call was told had succeeded. Its collaborators: the add pipeline (``adding``), playlist
expansion (``expansion``), the scheduling rules (``scheduling``) and warm probes
(``probes``). Routes and other doors use the ``Downloads`` facade, not the queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from app.core.errors import Conflict, InvalidInput, NotAcceptable, NotFound
from app.core.events import EventBus
from app.downloads.adding import AddPipeline, ConditionRules, ConditionSource
from app.downloads.events import (
    ItemDeleted,
    ItemPaused,
    ItemProgress,
    ItemReordered,
    ItemResumed,
    ItemStarted,
    ItemUpdated,
    QueuePaused,
    QueueResumed,
    ended,
)
from app.downloads.expansion import PlaylistExpansion
from app.downloads.history import History
from app.downloads.intake import Intake, Probe
from app.downloads.models import ACTIVE, AddRequest, AddResult, Item, Status
from app.downloads.preparation import Preparer, request_of
from app.downloads.probes import WarmProbes
from app.downloads.registry import Position, QueuedItems
from app.downloads.runner import DownloadRunner, Outcome, RunningDownload, StopReason
from app.downloads.scheduling import After, Limits, Schedule, retry_delay, settle
from app.downloads.state import QueueState
from app.downloads.store import ItemStore
from app.settings import Settings
from app.workers.pool import Child
from app.ytdlp.params import PresetSource

log = logging.getLogger(__name__)


class DownloadQueue:
    def __init__(
        self,
        *,
        settings: Settings,
        store: ItemStore,
        history: History,
        state: QueueState,
        bus: EventBus,
        runner: DownloadRunner,
        intake: Intake,
        presets: PresetSource,
        conditions: ConditionSource | None = None,
    ) -> None:
        self._store = store
        self._history = history
        self._state = state
        self._bus = bus
        self._runner = runner
        self._intake = intake
        self._preparer = Preparer(settings, presets, runner.temp_dir)
        self.items = QueuedItems()
        self._schedule = Schedule(Limits(settings.max_workers, settings.max_workers_per_extractor))
        self._retries = settings.download_retries
        self._retry_delay = settings.download_retry_delay
        self._attempts: dict[str, int] = {}  # automatic retries so far, per item
        self._tasks: set[asyncio.Task[Any]] = set()
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self._warm = WarmProbes(intake, settings.max_workers, self._spawn)
        rules = ConditionRules(conditions, self._preparer)
        self._adding = AddPipeline(
            max_urls=settings.max_urls_per_request,
            items=self.items,
            store=store,
            history=history,
            bus=bus,
            preparer=self._preparer,
            rules=rules,
            intake=intake,
            runner=runner,
            schedule=self._schedule,
            warm=self._warm,
            expand=self._expand,
            wake=self._wake.set,
            spawn=self._spawn,
        )
        self._expansion = PlaylistExpansion(
            settings=settings,
            store=store,
            intake=intake,
            preparer=self._preparer,
            rules=rules,
            enqueue=self._adding.enqueue,
            finish=self._finish,
            publish=self._bus.publish,
            spawn=self._spawn,
        )

    @property
    def paused(self) -> bool:
        return self._schedule.paused

    # -- life cycle ---------------------------------------------------------------------

    async def open(self) -> None:
        self._schedule.paused = await self._state.paused()
        for item in await self._store.load("queue"):
            if item.status in ACTIVE and not item.is_playlist:
                item.status = Status.PENDING  # interrupted: resume from the partial file
            self.items.remember(item)
            if item.is_playlist:
                self._expansion.resume(item, skip=item.extras.entries_queued or 0)
        self._scheduler = asyncio.create_task(self._run_schedule(), name="queue-scheduler")
        self._wake.set()

    async def close(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        running = self._schedule.running.values()
        await asyncio.gather(
            *(download.stop(StopReason.SHUTDOWN) for download in running),
            *self._warm.close(),
            return_exceptions=True,
        )
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- adding -------------------------------------------------------------------------

    async def add(self, requests: list[AddRequest], *, wait: bool = True) -> list[AddResult]:
        """Adds a batch: validated whole, reserved at once, identified URL by URL."""
        return await self._adding.add(requests, wait=wait)

    def reserved(self, uid: str) -> Item | None:
        """An added item still being identified (``preparing``)."""
        return self._adding.reserved(uid)

    def _expand(self, item: Item, found: Probe) -> None:
        self._expansion.start(item, found)

    # -- running ------------------------------------------------------------------------

    async def _run_schedule(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            release = self._schedule.next_release()
            timeout = None if release is None else max(0.0, release - loop.time())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout)
            self._wake.clear()
            for item in self._schedule.startable(self.items, now=loop.time()):
                self._launch(item)
            self._warm.dismiss_stale(everything=self.paused)

    def _launch(self, item: Item) -> None:
        running = self._schedule.began(item)
        warm = self._warm.take(item.uid)

        async def run() -> None:
            outcome = Outcome(Status.ERROR, error="the download could not start")
            try:
                outcome = await self._download(running, warm)
            finally:
                self._schedule.ended(item.uid)
                try:
                    await self._settle(running, outcome)
                finally:
                    running.settled.set()
                    self._wake.set()

        self._spawn(run())

    async def _download(self, running: RunningDownload, warm: Child | None) -> Outcome:
        item = running.item
        item.status = Status.PREPARING
        item.error = None
        if item.uid in self._attempts:
            item.msg = None  # the retry's notice
        await self._store.save(item, "queue")
        self._bus.publish(ItemStarted(item))
        try:
            prepared = self._preparer.prepare(request_of(item), existing=item)
        except (InvalidInput, NotFound) as exc:
            if warm is not None:
                await self._intake.dismiss(warm)
            return Outcome(Status.ERROR, error=exc.message)
        root = prepared.placement.root
        return await self._runner.run(running, prepared.params, root, self._progressed, warm)

    async def _progressed(self, item: Item, persist: bool) -> None:
        """The runner's report of a change: a status step is stored, progress is not."""
        if persist:
            await self._store.save(item, "queue")
            self._bus.publish(ItemUpdated(item))
        else:
            self._bus.publish(ItemProgress(item))

    async def _settle(self, running: RunningDownload, outcome: Outcome) -> None:
        item = running.item
        retries_left = self._retries - self._attempts.get(item.uid, 0)
        settlement = settle(running.stop_reason, outcome, retries_left)
        if settlement.discard_temp:
            await self._runner.discard_temp(item)
        if settlement.after == After.RETRY:
            await self._retry_later(item, outcome)
        elif settlement.after == After.REQUEUE:
            item.status = Status.PENDING
            item.speed = item.eta = None
            await self._store.save(item, "queue")
            self._bus.publish(ItemPaused(item))
        elif settlement.after == After.FINISH:
            assert settlement.status is not None
            await self._finish(item, Outcome(settlement.status, error=outcome.error))

    async def _retry_later(self, item: Item, outcome: Outcome) -> None:
        """A transient failure: the item waits in the queue, then is tried again."""
        attempt = self._attempts.get(item.uid, 0) + 1
        self._attempts[item.uid] = attempt
        delay = retry_delay(attempt, self._retry_delay)
        item.status = Status.PENDING
        item.speed = item.eta = None
        item.msg = f"Retry {attempt} of {self._retries} in {delay:g} s: {outcome.error}"
        self._schedule.hold(item.uid, asyncio.get_running_loop().time() + delay)
        await self._store.save(item, "queue")
        self._bus.publish(ItemUpdated(item))

    async def _finish(self, item: Item, outcome: Outcome) -> None:
        """Moves an item to history with its final status."""
        if self.items.get(item.uid) is None:
            return
        item.status = outcome.status
        item.speed = item.eta = None
        if outcome.status == Status.ERROR:
            item.error = outcome.error or "unknown error"
        await self._history.add(item)
        self.items.forget(item)
        self._left(item.uid)
        self._bus.publish(ended(item))

    def _left(self, uid: str) -> None:
        self._schedule.forget(uid)
        self._attempts.pop(uid, None)

    # -- commands -----------------------------------------------------------------------

    async def start(self, uids: Iterable[str]) -> dict[str, str]:
        result = await self._each(uids, self._start_one, "started")
        self._wake.set()
        return result

    async def start_now(self, uids: Iterable[str]) -> dict[str, str]:
        """Starts queued items at once, past the download limits and the queue's pause."""
        result = await self._each(uids, self._start_now, "started")
        self._wake.set()
        return result

    async def move(self, uids: Iterable[str], to: Position) -> dict[str, str]:
        """Moves queued items to the top or the bottom of the queue (in the order given)."""
        asked = list(uids)
        found = [item for uid in dict.fromkeys(asked) if (item := self.items.get(uid))]
        ordered = list(reversed(found)) if to == "top" else found
        for item in ordered:
            await self._store.reorder(item.uid, to)
            self.items.move(item.uid, to)
            self._bus.publish(ItemReordered(item, to))
        self._wake.set()
        moved = {item.uid for item in found}
        return {uid: "moved" if uid in moved else "not found" for uid in asked}

    async def pause(self, uids: Iterable[str]) -> dict[str, str]:
        return await self._each(uids, self._pause_one, "paused")

    async def cancel(self, uids: Iterable[str]) -> dict[str, str]:
        return await self._each(uids, self._cancel, "ok")

    async def remove(self, uids: Iterable[str]) -> dict[str, str]:
        """Deletes queue items (stopping what runs) in one transaction, not into history."""
        asked = list(uids)
        found = [item for uid in dict.fromkeys(asked) if (item := self.items.get(uid))]
        for item in found:
            await self._halt(item)
        for item in found:
            self.items.forget(item)
            self._left(item.uid)
        try:
            await self._store.delete([item.uid for item in found])
        except BaseException:
            for item in found:
                self.items.remember(item)
            raise
        for item in found:
            await self._runner.discard_temp(item)
            self._bus.publish(ItemDeleted(item))
        gone = {item.uid for item in found}
        return {uid: "deleted" if uid in gone else "not found" for uid in asked}

    async def _each(
        self, uids: Iterable[str], action: Callable[[Item], Awaitable[None]], done: str
    ) -> dict[str, str]:
        """Applies a command to each queued item; answers each id with ``done``/not found."""
        result = {}
        for uid in uids:
            item = self.items.get(uid)
            if item is None:
                result[uid] = "not found"
                continue
            await action(item)
            result[uid] = done
        return result

    async def _start_one(self, item: Item) -> None:
        if not item.auto_start:
            item.auto_start = True
            await self._store.save(item, "queue")
            self._bus.publish(ItemResumed(item))

    async def _start_now(self, item: Item) -> None:
        await self._start_one(item)
        if item.uid not in self._schedule.running:
            self._schedule.start_now(item.uid)

    async def _pause_one(self, item: Item) -> None:
        item.auto_start = False
        self._warm.dismiss(item.uid)
        running = self._schedule.running.get(item.uid)
        if running is not None:
            await running.stop(StopReason.PAUSE)  # _settle marks it pending
        else:
            await self._store.save(item, "queue")
            self._bus.publish(ItemPaused(item))

    async def _halt(self, item: Item) -> None:
        """Stops whatever works on an item that is being removed."""
        self._warm.dismiss(item.uid)
        running = self._schedule.running.get(item.uid)
        if running is not None:
            await running.stop(StopReason.DELETE)
        self._expansion.stop(item.uid)

    async def _cancel(self, item: Item) -> None:
        self._warm.dismiss(item.uid)
        expansion = self._expansion.stop(item.uid)
        if expansion is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await expansion
        running = self._schedule.running.get(item.uid)
        if running is not None:
            await running.stop(StopReason.CANCEL)
            return
        await self._runner.discard_temp(item)
        if item.is_playlist and item.extras.entries_queued:
            item.msg = f"Expansion cancelled after {item.extras.entries_queued} entries."
        await self._finish(item, Outcome(Status.CANCELLED))

    async def pause_all(self) -> None:
        if self.paused:
            raise NotAcceptable("Downloads are already paused.")
        self._schedule.paused = True
        await self._state.set_paused(True)
        self._bus.publish(QueuePaused())

    async def resume_all(self) -> None:
        if not self.paused:
            raise NotAcceptable("Downloads are not paused.")
        self._schedule.paused = False
        await self._state.set_paused(False)
        self._bus.publish(QueueResumed())
        self._wake.set()

    async def update(self, item: Item, changes: dict[str, Any]) -> Item | None:
        """Changes a queued item; None when nothing changed.

        A change to what the item downloads is checked as an add is (``Preparer``): it is
        refused before anything is stored.
        """
        if item.uid in self._schedule.running:
            raise Conflict("The item is downloading; pause it before changing it.")
        changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
        if not changed:
            return None
        self.check_change(item.model_copy(update=changed))
        for key, value in changed.items():
            setattr(item, key, value)
        await self._store.save(item, "queue")
        self._bus.publish(ItemUpdated(item))
        self._wake.set()
        return item

    async def mark_archived(
        self, identities: set[tuple[str, str]], presets: set[str], archived: bool
    ) -> None:
        """Queued items of these videos and presets say whether their archive holds them."""
        for item in self.items:
            wanted = item.identity in identities and item.preset in presets
            if wanted and item.is_archived != archived:
                item.is_archived = archived
                await self._store.save(item, "queue")
                self._bus.publish(ItemUpdated(item))

    def check_change(self, candidate: Item) -> None:
        """Refuses a changed item that could not be added as it is."""
        self._preparer.prepare(request_of(candidate))

    def _spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task
