"""The add pipeline: a batch of URLs validated, reserved at once, then identified one by one.

Every item is checked before anything is stored, so a refused request (4xx) changes
nothing; then the whole batch is stored in one transaction as ``preparing``, so a request
that fails to store (a full disk: 500) changes nothing either. Each URL is then identified
in a worker and settled on its own: queued and started at once, or set aside with its
reason, so a batch's first downloads run while its last URLs are still being identified.
After a crash, a reserved item resumes like any interrupted one.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from app.conditions.service import ConditionMatch
from app.core.errors import InvalidInput, NotFound
from app.core.events import EventBus
from app.downloads.events import AddFailed, AddRefused, AddSkipped, ItemAdded
from app.downloads.history import History
from app.downloads.intake import Arrival, Intake, Probe, item_from_video
from app.downloads.models import AddRequest, AddResult, Item, Status
from app.downloads.preparation import Prepared, Preparer
from app.downloads.probes import WarmProbes
from app.downloads.registry import QueuedItems
from app.downloads.requests import check_count
from app.downloads.runner import DownloadRunner
from app.downloads.scheduling import Schedule
from app.downloads.store import ItemStore

DOWNLOADED = "URL is already downloaded."

log = logging.getLogger(__name__)


class ConditionSource(Protocol):
    def match(self, info: dict[str, Any]) -> ConditionMatch | None: ...


class ConditionRules:
    """Conditions on what a URL turned out to be: they may skip it or change its options."""

    def __init__(self, conditions: ConditionSource | None, preparer: Preparer) -> None:
        self._conditions = conditions
        self._preparer = preparer

    def match(self, request: AddRequest, info: dict[str, Any]) -> ConditionMatch | None:
        if self._conditions is None or not request.conditions:
            return None
        return self._conditions.match(info)

    def apply(self, item: Item, request: AddRequest, hit: ConditionMatch) -> None:
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


def as_playlist(item: Item, info: dict[str, Any]) -> Item:
    """A probed playlist as the item that tracks its expansion."""
    item.is_playlist = True
    item.id = str(info.get("id")) if info.get("id") is not None else None
    item.extractor = info.get("extractor")
    item.title = info.get("title") or item.url
    item.status = Status.PREPARING
    item.msg = "Expanding the playlist."
    item.extras.entries_queued = 0
    return item


class AddPipeline:
    def __init__(
        self,
        *,
        max_urls: int,
        items: QueuedItems,
        store: ItemStore,
        history: History,
        bus: EventBus,
        preparer: Preparer,
        rules: ConditionRules,
        intake: Intake,
        runner: DownloadRunner,
        schedule: Schedule,
        warm: WarmProbes,
        expand: Callable[[Item, Probe], None],
        wake: Callable[[], None],
        spawn: Callable[[Awaitable[Any]], object],
    ) -> None:
        self._max_urls = max_urls
        self._items = items
        self._store = store
        self._history = history
        self._bus = bus
        self._preparer = preparer
        self._rules = rules
        self._intake = intake
        self._runner = runner
        self._schedule = schedule
        self._warm = warm
        self._expand = expand
        self._wake = wake
        self._spawn = spawn
        self._commit_lock = asyncio.Lock()
        self._reserved: dict[str, Item] = {}  # stored as preparing, not yet settled

    def reserved(self, uid: str) -> Item | None:
        """An item of an add being identified: answered, stored, not yet queued."""
        return self._reserved.get(uid)

    async def add(self, requests: list[AddRequest], *, wait: bool = True) -> list[AddResult]:
        """Answers what each URL turned out to be; without ``wait``, each reserved item as
        soon as it is stored (``preparing``): the events of its settling tell the rest."""
        check_count(len(requests), self._max_urls)
        prepared = []
        for request in requests:
            prepared.append(self._preparer.prepare(request))
            if len(requests) > 1:
                # Several milliseconds of CPU each (yt-dlp's option parser): other
                # requests are answered between them, not after the whole batch.
                await asyncio.sleep(0)
        for entry in prepared:
            entry.item.status = Status.PREPARING
        await self._store.save_all(queue=[entry.item for entry in prepared])
        self._reserved.update((entry.item.uid, entry.item) for entry in prepared)
        owner = object()  # this request's probes take turns with other requests'
        if not wait:
            answers = [AddResult("queued", None, e.item.model_copy(deep=True)) for e in prepared]
            for entry in prepared:
                self._spawn(self._settle_later(entry, owner))
            return answers
        outcomes = await asyncio.gather(
            *(self._settle(entry, owner) for entry in prepared), return_exceptions=True
        )
        failure = next((o for o in outcomes if isinstance(o, BaseException)), None)
        if failure is not None:
            raise failure
        return [o for o in outcomes if isinstance(o, AddResult)]

    async def enqueue(self, items: list[Item]) -> list[Item]:
        """Stores and announces a playlist's entries; answers those that were not duplicates."""
        async with self._commit_lock:
            fresh = [item for item in items if self._items.duplicate_of(item) is None]
            await self._store.save_all(queue=fresh)
            for item in fresh:
                self._items.remember(item)
        for item in fresh:
            self._bus.publish(ItemAdded(item))
        self._wake()
        return fresh

    async def _arrive(self, prepared: Prepared, owner: object) -> Arrival:
        """Identifies one URL of an add; keeps nothing and tells no one yet."""
        item = prepared.item
        if self._items.has_url(item.url):
            return Arrival(item, "refused", f"'{item.url}' is already in the queue.")
        download = None
        if self._schedule.may_start(item):
            download = self._runner.job_for(item, prepared.params, prepared.placement.root)
        found = await self._intake.probe(
            item.url, prepared.params, cookies=item.cookies, download=download, owner=owner
        )
        if found.kind == "error":
            return Arrival(item, "failed", found.error or "extraction failed")
        if found.kind == "archived":
            return Arrival(item, "archived", found.error or "Already in the download archive.")
        if found.kind == "playlist":
            return Arrival(as_playlist(item, found.info), "playlist", found=found)
        item_from_video(item, found.info)
        if not prepared.request.force and await self._history.downloaded(item):
            await self._intake.release(found)
            return Arrival(item, "downloaded", DOWNLOADED)
        hit = self._rules.match(prepared.request, found.info)
        if hit is not None:
            await self._intake.release(found)  # its options may no longer be the item's
            if hit.skip:
                return Arrival(item, "refused", f"Skipped by condition '{hit.name}'.")
            try:
                self._rules.apply(item, prepared.request, hit)
            except (InvalidInput, NotFound) as exc:
                return Arrival(item, "refused", exc.message)
        item.status = Status.PENDING
        return Arrival(item, "queued", found=found)

    async def _settle(self, prepared: Prepared, owner: object) -> AddResult:
        """Identifies one reserved URL, then queues it or sets it aside, and tells everyone."""
        try:
            arrival = await self._arrive(prepared, owner)
        except BaseException:
            self._reserved.pop(prepared.item.uid, None)
            await self._unreserve(prepared.item)
            raise
        try:
            await self._commit(arrival)
        except BaseException:
            await self._let_go([arrival])
            raise
        finally:  # only once it is queued, in history or gone: never missing in between
            self._reserved.pop(prepared.item.uid, None)
        self._announce(arrival)
        self._wake()
        return arrival.result()

    async def _settle_later(self, prepared: Prepared, owner: object) -> None:
        """Settles a reserved URL nobody waits for: a failure is told, never lost."""
        try:
            await self._settle(prepared, owner)
        except Exception as exc:  # the request has been answered: tell it as a failed add
            item = prepared.item
            log.exception("adding %s failed", item.url)
            self._bus.publish(AddFailed(item.url, item.preset, f"Adding failed: {exc}", item.uid))

    async def _commit(self, arrival: Arrival) -> None:
        """Stores what one URL turned out to be; duplicates are checked under the lock."""
        async with self._commit_lock:  # against committed items only, this batch's included
            self._refuse_duplicate(arrival)
            item = arrival.item
            if arrival.kind in ("archived", "downloaded"):  # recorded: never silent
                item.status, item.msg = Status.SKIP, arrival.why
                item.is_archived = arrival.kind == "archived"
                await self._store.save_all(done=[item])
                self._history.counted(1)
            elif arrival.kind in ("queued", "playlist"):
                await self._store.save_all(queue=[item])
                if arrival.kind == "queued" and arrival.found and arrival.found.child:
                    self._warm.keep(item.uid, arrival.found.child)
                self._items.remember_in_order(item)
            else:
                await self._unreserve(item)

    async def _unreserve(self, item: Item) -> None:
        await self._store.delete([item.uid])

    def _refuse_duplicate(self, arrival: Arrival) -> None:
        """An arrival already queued (before, or earlier in this batch) becomes a refusal."""
        item = arrival.item
        why = None
        if arrival.kind in ("queued", "playlist") and self._items.has_url(item.url):
            why = f"'{item.url}' is already in the queue."
        elif arrival.kind == "queued" and self._items.duplicate_of(item) is not None:
            why = f"'{item.label}' is already in the queue."
        if why is None:
            return
        arrival.refuse(why)
        if arrival.found is not None:
            found, arrival.found = arrival.found, None
            self._spawn(self._intake.release(found))

    def _announce(self, arrival: Arrival) -> None:
        item, why = arrival.item, arrival.why or ""
        if arrival.kind == "failed":
            self._bus.publish(AddFailed(item.url, item.preset, why, item.uid))
        elif arrival.kind == "refused":
            self._bus.publish(AddRefused(item.url, item.preset, why, item.uid))
        elif arrival.kind in ("archived", "downloaded"):
            self._bus.publish(AddSkipped(item, why))
        else:
            self._bus.publish(ItemAdded(item))
            if arrival.kind == "playlist" and arrival.found is not None:
                self._expand(item, arrival.found)

    async def _let_go(self, arrivals: list[Arrival]) -> None:
        """A batch that will not be stored: every probe it holds is released."""
        held = [a.found for a in arrivals if a.found is not None]
        await asyncio.gather(*(self._intake.release(f) for f in held), return_exceptions=True)
