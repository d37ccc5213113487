"""The download queue: what is waiting or running, and every command on it.

The queue lives in memory (it is small); history lives in SQLite. Every change is written
to SQLite before it is published on the event bus, so a crash loses nothing that an API
call was told had succeeded.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any, Protocol

from app.conditions.service import ConditionMatch
from app.core.errors import Conflict, InvalidInput, NotAcceptable, NotFound
from app.core.events import EventBus, EventName
from app.core.pagination import Page
from app.downloads.expansion import PlaylistExpansion
from app.downloads.history import History
from app.downloads.intake import Arrival, Intake, item_from_video
from app.downloads.models import ACTIVE, AddRequest, AddResult, Item, Status
from app.downloads.preparation import Prepared, Preparer, request_of
from app.downloads.requests import check_count
from app.downloads.runner import DownloadRunner, Outcome, RunningDownload, StopReason
from app.downloads.state import QueueState
from app.downloads.store import ItemStore, Order, StatusFilter
from app.settings import Settings
from app.workers.pool import Child
from app.ytdlp.params import PresetSource

log = logging.getLogger(__name__)


class ConditionSource(Protocol):
    def match(self, info: dict[str, Any]) -> ConditionMatch | None: ...


WARM_SECONDS = 30.0


class DownloadQueue(PlaylistExpansion):
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
        self._settings = settings
        self._store = store
        self._history = history
        self._state = state
        self._bus = bus
        self._runner = runner
        self._intake = intake
        self._preparer = Preparer(settings, presets, runner.temp_dir)
        self._conditions = conditions
        self._items: dict[str, Item] = {}
        self._identities: dict[tuple[str, str], str] = {}
        self._running: dict[str, RunningDownload] = {}
        self._expansions: dict[str, asyncio.Task[None]] = {}
        # Probe children holding an item's extracted info, ready to download it at once.
        self._warm: dict[str, tuple[Child, float]] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._commit_lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._scheduler: asyncio.Task[None] | None = None
        self.paused = False

    # -- life cycle ---------------------------------------------------------------------

    async def open(self) -> None:
        self.paused = await self._state.paused()
        for item in await self._store.load("queue"):
            if item.status in ACTIVE and not item.is_playlist:
                item.status = Status.PENDING  # interrupted: resume from the partial file
            self._remember(item)
            if item.is_playlist:
                self._expand_later(item, skip=item.extras.entries_queued or 0)
        self._scheduler = asyncio.create_task(self._schedule(), name="queue-scheduler")
        self._wake.set()

    async def close(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._scheduler
        await asyncio.gather(
            *(running.stop(StopReason.SHUTDOWN) for running in self._running.values()),
            *(self._intake.dismiss(child) for child, _ in self._warm.values()),
            return_exceptions=True,
        )
        self._warm.clear()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # -- reading ------------------------------------------------------------------------

    def queue(self) -> list[Item]:
        return list(self._items.values())

    def matching(self, status: StatusFilter | None) -> list[Item]:
        items = list(self._items.values())
        if status is None:
            return items
        return [i for i in items if (i.status == status.status) != status.negate]

    def page(self, page: Page, order: Order, status: StatusFilter | None) -> tuple[int, list[Item]]:
        """The total of matching queue items and one page of them."""
        items = self.matching(status)
        if order == "DESC":
            items.reverse()
        return len(items), items[page.offset : page.offset + page.per_page]

    def queued(self, uid: str) -> Item | None:
        return self._items.get(uid)

    def live(self) -> dict[str, Any]:
        return {
            "queue": {uid: item.public() for uid, item in self._items.items()},
            "history_count": self._history.count,
        }

    # -- adding -------------------------------------------------------------------------

    async def add(self, requests: list[AddRequest]) -> list[AddResult]:
        """Adds a batch: validated whole, identified URL by URL, then stored at once.

        Nothing is stored, started or announced before every URL is identified and the one
        transaction that stores the batch has succeeded: a refused request changes nothing.
        """
        check_count(len(requests), self._settings.max_urls_per_request)
        prepared = [self._preparer.prepare(request) for request in requests]
        owner = object()  # this request's probes take turns with other requests'
        outcomes = await asyncio.gather(
            *(self._arrive(p, owner) for p in prepared), return_exceptions=True
        )
        arrivals = [o for o in outcomes if isinstance(o, Arrival)]
        failure = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failure is not None:
            await self._let_go(arrivals)
            raise failure
        return await self._commit(arrivals)

    async def _arrive(self, prepared: Prepared, owner: object) -> Arrival:
        """Identifies one URL of an add; keeps nothing and tells no one yet."""
        item = prepared.item
        if any(other.url == item.url for other in self._items.values()):
            return Arrival(item, "refused", f"'{item.url}' is already in the queue.")
        download = None
        if self._may_start(item):
            download = self._runner.job_for(item, prepared.params, prepared.placement.root)
        found = await self._intake.probe(
            item.url, prepared.params, cookies=item.cookies, download=download, owner=owner
        )
        if found.kind == "error":
            return Arrival(item, "failed", found.error or "extraction failed")
        if found.kind == "archived":
            return Arrival(item, "archived", found.error or "Already in the download archive.")
        if found.kind == "playlist":
            return Arrival(self._as_playlist(item, found.info), "playlist", found=found)
        item_from_video(item, found.info)
        hit = self._condition_for(prepared.request, found.info)
        if hit is not None:
            await self._intake.release(found)  # its options may no longer be the item's
            if hit.skip:
                return Arrival(item, "refused", f"Skipped by condition '{hit.name}'.")
            try:
                self._apply(item, prepared.request, hit)
            except (InvalidInput, NotFound) as exc:
                return Arrival(item, "refused", exc.message)
        item.status = Status.PENDING
        return Arrival(item, "queued", found=found)

    async def _commit(self, arrivals: list[Arrival]) -> list[AddResult]:
        async with self._commit_lock:  # duplicates are checked against committed items only
            self._refuse_duplicates(arrivals)
            queued = [a.item for a in arrivals if a.kind in ("queued", "playlist")]
            skipped = [a.item for a in arrivals if a.kind == "archived"]
            for arrival in arrivals:
                if arrival.kind == "archived":  # recorded: an archive never skips silently
                    arrival.item.status = Status.SKIP
                    arrival.item.msg = arrival.why
                    arrival.item.is_archived = True
            try:
                await self._store.save_all(queue=queued, done=skipped)
            except BaseException:
                await self._let_go(arrivals)
                raise
            self._history.counted(len(skipped))
            for arrival in arrivals:
                if arrival.kind == "queued" and arrival.found and arrival.found.child:
                    self._keep_warm(arrival.item, arrival.found.child)
                if arrival.kind in ("queued", "playlist"):
                    self._remember(arrival.item)
        for arrival in arrivals:
            self._announce(arrival)
        self._wake.set()
        return [arrival.result() for arrival in arrivals]

    def _refuse_duplicates(self, arrivals: list[Arrival]) -> None:
        """Turns an arrival already queued (before or earlier in this batch) into a refusal."""
        urls = {item.url for item in self._items.values()}
        identities = set(self._identities)
        for arrival in arrivals:
            if arrival.kind not in ("queued", "playlist"):
                continue
            item = arrival.item
            if item.url in urls:
                arrival.refuse(f"'{item.url}' is already in the queue.")
            elif arrival.kind == "queued" and item.identity in identities:
                arrival.refuse(f"'{item.label}' is already in the queue.")
            urls.add(item.url)
            if item.identity and arrival.kind == "queued":
                identities.add(item.identity)
        # Refused arrivals let go of their probes once the lock is released.
        for arrival in arrivals:
            if arrival.kind == "refused" and arrival.found is not None:
                found, arrival.found = arrival.found, None
                self._spawn(self._intake.release(found))

    def _announce(self, arrival: Arrival) -> None:
        item = arrival.item
        if arrival.kind == "failed":
            self._bus.emit(
                EventName.LOG_ERROR, {"url": item.url}, title="Add failed", message=arrival.why
            )
        if arrival.kind in ("failed", "refused"):
            self._bus.emit(
                EventName.ITEM_STATUS,
                {"status": "error", "preset": item.preset, "msg": arrival.why},
            )
        elif arrival.kind == "archived":
            self._bus.emit(
                EventName.ITEM_MOVED,
                {"to": "history", "preset": item.preset, "item": item.public(), "_id": item.uid},
                title="Skipped",
                message=f"'{item.label}': {arrival.why}",
            )
        else:
            self._announce_added(item)
            if arrival.kind == "playlist" and arrival.found is not None:
                self._track_expansion(item, self._expand(item, arrival.found))

    async def _let_go(self, arrivals: list[Arrival]) -> None:
        """A batch that will not be stored: every probe it holds is released."""
        held = [a.found for a in arrivals if a.found is not None]
        await asyncio.gather(*(self._intake.release(f) for f in held), return_exceptions=True)

    def _condition_for(self, request: AddRequest, info: dict[str, Any]) -> ConditionMatch | None:
        if self._conditions is None or not request.conditions:
            return None
        return self._conditions.match(info)

    def _apply(self, item: Item, request: AddRequest, hit: ConditionMatch) -> None:
        """Applies a matching condition: its preset, cookies and options join the item's."""
        changed = request.model_copy(
            update={
                "preset": hit.preset or request.preset,
                "cli": " ".join(part for part in (request.cli, hit.cli) if part),
                "cookies": hit.cookies or request.cookies,
            }
        )
        if hit.ignore_archive:
            item.options["ignore_archive"] = True
        self._preparer.prepare(changed, existing=item)  # refuses a condition that breaks it
        item.preset, item.cli, item.cookies = changed.preset, changed.cli, changed.cookies
        item.conditions = [hit.name]

    def _may_start(self, item: Item) -> bool:
        return item.auto_start and not self.paused

    def _keep_warm(self, item: Item, child: Child) -> None:
        """Keeps a probe child for its item, at most ``max_workers`` of them at once."""
        self._warm[item.uid] = (child, time.monotonic())
        while len(self._warm) > self._settings.max_workers:
            self._dismiss(next(iter(self._warm)))

    def _dismiss(self, uid: str) -> None:
        warm = self._warm.pop(uid, None)
        if warm is not None:
            self._spawn(self._intake.dismiss(warm[0]))

    def _dismiss_stale(self) -> None:
        # Extracted info goes stale (signed media URLs expire): keep it a short while only.
        now = time.monotonic()
        for uid, (_, since) in list(self._warm.items()):
            if now - since > WARM_SECONDS or self.paused:
                self._dismiss(uid)

    def _duplicate_of(self, item: Item) -> Item | None:
        identity = item.identity
        uid = self._identities.get(identity) if identity else None
        return self._items.get(uid) if uid else None

    async def _enqueue(self, items: list[Item]) -> list[Item]:
        """Stores and announces a playlist's entries; answers those that were not duplicates."""
        async with self._commit_lock:
            fresh = [item for item in items if self._duplicate_of(item) is None]
            await self._store.save_all(queue=fresh)
            for item in fresh:
                self._remember(item)
        for item in fresh:
            self._announce_added(item)
        self._wake.set()
        return fresh

    def _announce_added(self, item: Item) -> None:
        self._bus.emit(
            EventName.ITEM_ADDED,
            item.public(),
            title="Item Added",
            message=f"Item '{item.label}' has been added to the download queue.",
        )
        self._bus.emit(
            EventName.ITEM_STATUS,
            {
                "status": "ok",
                "preset": item.preset,
                "_id": item.uid,
                "conditions": item.conditions,
            },
        )

    def _remember(self, item: Item) -> None:
        self._items[item.uid] = item
        if item.identity and not item.is_playlist:
            self._identities[item.identity] = item.uid

    def _forget(self, item: Item) -> None:
        self._items.pop(item.uid, None)
        if item.identity and self._identities.get(item.identity) == item.uid:
            del self._identities[item.identity]

    # -- running ------------------------------------------------------------------------

    async def _schedule(self) -> None:
        while True:
            await self._wake.wait()
            self._wake.clear()
            for item in self._startable():
                self._launch(item)
            self._dismiss_stale()

    def _startable(self) -> list[Item]:
        if self.paused:
            return []
        free = self._settings.max_workers - len(self._running)
        per_extractor: dict[str, int] = {}
        for running in self._running.values():
            key = (running.item.extractor or "").lower()
            per_extractor[key] = per_extractor.get(key, 0) + 1
        chosen = []
        for item in self._items.values():
            if free <= 0:
                break
            if item.status != Status.PENDING or not item.auto_start or item.uid in self._running:
                continue
            key = (item.extractor or "").lower()
            if per_extractor.get(key, 0) >= self._settings.max_workers_per_extractor:
                continue
            per_extractor[key] = per_extractor.get(key, 0) + 1
            free -= 1
            chosen.append(item)
        return chosen

    def _launch(self, item: Item) -> None:
        running = RunningDownload(item)
        self._running[item.uid] = running
        warm = self._warm.pop(item.uid, (None, 0.0))[0]

        async def run() -> None:
            outcome = Outcome(Status.ERROR, error="the download could not start")
            try:
                outcome = await self._download(running, warm)
            finally:
                self._running.pop(item.uid, None)
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
        await self._changed(item, persist=True)
        try:
            prepared = self._preparer.prepare(request_of(item), existing=item)
        except (InvalidInput, NotFound) as exc:
            if warm is not None:
                await self._intake.dismiss(warm)
            return Outcome(Status.ERROR, error=exc.message)
        root = prepared.placement.root
        return await self._runner.run(running, prepared.params, root, self._changed, warm)

    async def _settle(self, running: RunningDownload, outcome: Outcome) -> None:
        item = running.item
        if running.stop_reason == StopReason.SHUTDOWN:
            return  # stays as it is in SQLite and resumes at the next start
        if running.stop_reason == StopReason.DELETE:
            await self._runner.discard_temp(item)
            return
        if outcome.status is None:  # stopped by a pause or a cancel
            if running.stop_reason == StopReason.CANCEL:
                await self._runner.discard_temp(item)
                await self._finish(item, Outcome(Status.CANCELLED))
            elif running.stop_reason == StopReason.PAUSE:
                item.status = Status.PENDING
                item.speed = item.eta = None
                await self._changed(item, persist=True)
            return
        if outcome.status == Status.CANCELLED:
            await self._runner.discard_temp(item)
        await self._finish(item, outcome)

    async def _changed(self, item: Item, persist: bool) -> None:
        if persist:
            await self._store.save(item, "queue")
        self._publish_update(item)

    def _publish_update(self, item: Item) -> None:
        self._bus.emit(EventName.ITEM_UPDATED, item.public())

    async def _finish(self, item: Item, outcome: Outcome) -> None:
        """Moves an item to history with its final status."""
        if item.uid not in self._items:
            return
        item.status = outcome.status
        item.speed = item.eta = None
        if outcome.status == Status.ERROR:
            item.error = outcome.error or "unknown error"
        await self._history.add(item)
        self._forget(item)
        if outcome.status == Status.CANCELLED:
            self._bus.emit(
                EventName.ITEM_CANCELLED,
                item.public(),
                title="Download Cancelled",
                message=f"Download '{item.label}' has been cancelled.",
            )
        data = item.public()
        self._bus.emit(
            EventName.ITEM_MOVED,
            {
                "to": "history",
                "from": "queue",
                "preset": item.preset,
                "item": data,
                "_id": item.uid,
            },
        )
        self._bus.emit(EventName.ITEM_UPDATED, data, **_final_words(item))

    # -- commands -----------------------------------------------------------------------

    async def start(self, uids: Iterable[str]) -> dict[str, str]:
        result = await self._each(uids, self._start_one, "started")
        self._wake.set()
        return result

    async def pause(self, uids: Iterable[str]) -> dict[str, str]:
        return await self._each(uids, self._pause_one, "paused")

    async def cancel(self, uids: Iterable[str]) -> dict[str, str]:
        return await self._each(uids, self._cancel, "ok")

    async def remove(self, uids: Iterable[str]) -> dict[str, str]:
        """Deletes queue items (stopping what runs) in one transaction, not into history."""
        asked = list(uids)
        found = [self._items[uid] for uid in dict.fromkeys(asked) if uid in self._items]
        for item in found:
            await self._halt(item)
        for item in found:
            self._forget(item)
        try:
            await self._store.delete([item.uid for item in found])
        except BaseException:
            for item in found:
                self._remember(item)
            raise
        for item in found:
            await self._runner.discard_temp(item)
            self._bus.emit(EventName.ITEM_DELETED, item.public())
        gone = {item.uid for item in found}
        return {uid: "deleted" if uid in gone else "not found" for uid in asked}

    async def _each(
        self, uids: Iterable[str], action: Callable[[Item], Awaitable[None]], done: str
    ) -> dict[str, str]:
        """Applies a command to each queued item; answers each id with ``done``/not found."""
        result = {}
        for uid in uids:
            item = self._items.get(uid)
            if item is None:
                result[uid] = "not found"
                continue
            await action(item)
            result[uid] = done
        return result

    async def _start_one(self, item: Item) -> None:
        if not item.auto_start:
            item.auto_start = True
            await self._changed(item, persist=True)

    async def _pause_one(self, item: Item) -> None:
        item.auto_start = False
        self._dismiss(item.uid)
        running = self._running.get(item.uid)
        if running is not None:
            await running.stop(StopReason.PAUSE)  # _settle marks it pending
        else:
            await self._changed(item, persist=True)

    async def _halt(self, item: Item) -> None:
        """Stops whatever works on an item that is being removed."""
        self._dismiss(item.uid)
        running = self._running.get(item.uid)
        if running is not None:
            await running.stop(StopReason.DELETE)
        expansion = self._expansions.get(item.uid)
        if expansion is not None:
            expansion.cancel()

    async def _cancel(self, item: Item) -> None:
        self._dismiss(item.uid)
        expansion = self._expansions.get(item.uid)
        if expansion is not None:
            expansion.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await expansion
        running = self._running.get(item.uid)
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
        self.paused = True
        await self._state.set_paused(True)
        self._bus.emit(
            EventName.PAUSED,
            _pause_payload(True),
            title="Paused",
            message="Non-active downloads have been paused.",
        )

    async def resume_all(self) -> None:
        if not self.paused:
            raise NotAcceptable("Downloads are not paused.")
        self.paused = False
        await self._state.set_paused(False)
        self._bus.emit(
            EventName.RESUMED,
            _pause_payload(False),
            title="Resumed",
            message="Resumed all downloads.",
        )
        self._wake.set()

    async def update(self, uid: str, changes: dict[str, Any]) -> Item | None:
        """Changes an item, queued or in history; None when nothing changed.

        A change to what the item downloads is checked as an add is (``Preparer``): it is
        refused before anything is stored.
        """
        item = self._items.get(uid)
        if item is None:
            return await self._history.update(uid, changes, check=self._check_change)
        if uid in self._running:
            raise Conflict("The item is downloading; pause it before changing it.")
        changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
        if not changed:
            return None
        self._check_change(item.model_copy(update=changed))
        for key, value in changed.items():
            setattr(item, key, value)
        await self._changed(item, persist=True)
        self._wake.set()
        return item

    def _check_change(self, candidate: Item) -> None:
        self._preparer.prepare(request_of(candidate))

    def _spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]:
        task: asyncio.Task[Any] = asyncio.ensure_future(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task


def _pause_payload(paused: bool) -> dict[str, Any]:
    return {"paused": paused, "at": time.time()}


def _final_words(item: Item) -> dict[str, str]:
    if item.status == Status.FINISHED and not item.is_playlist:
        return {"title": "Download Completed", "message": f"Download '{item.label}' has completed."}
    if item.status == Status.ERROR:
        return {"title": "Download Failed", "message": f"'{item.label}': {item.error}"}
    return {}
