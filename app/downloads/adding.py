"""The add pipeline: a batch of URLs validated, identified, stored at once, then announced.

Nothing is stored, started or announced before every URL is identified and the one
transaction that stores the batch has succeeded: a refused request changes nothing.
"""

from __future__ import annotations

import asyncio
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

    async def add(self, requests: list[AddRequest]) -> list[AddResult]:
        check_count(len(requests), self._max_urls)
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

    async def _commit(self, arrivals: list[Arrival]) -> list[AddResult]:
        async with self._commit_lock:  # duplicates are checked against committed items only
            self._refuse_duplicates(arrivals)
            queued = [a.item for a in arrivals if a.kind in ("queued", "playlist")]
            skipped = [a.item for a in arrivals if a.kind in ("archived", "downloaded")]
            for arrival in arrivals:
                if arrival.kind in ("archived", "downloaded"):  # recorded: never silent
                    arrival.item.status = Status.SKIP
                    arrival.item.msg = arrival.why
                    arrival.item.is_archived = arrival.kind == "archived"
            try:
                await self._store.save_all(queue=queued, done=skipped)
            except BaseException:
                await self._let_go(arrivals)
                raise
            self._history.counted(len(skipped))
            for arrival in arrivals:
                if arrival.kind == "queued" and arrival.found and arrival.found.child:
                    self._warm.keep(arrival.item.uid, arrival.found.child)
                if arrival.kind in ("queued", "playlist"):
                    self._items.remember(arrival.item)
        for arrival in arrivals:
            self._announce(arrival)
        self._wake()
        return [arrival.result() for arrival in arrivals]

    def _refuse_duplicates(self, arrivals: list[Arrival]) -> None:
        """Turns an arrival already queued (before or earlier in this batch) into a refusal."""
        urls = self._items.urls()
        identities = self._items.identities()
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
        item, why = arrival.item, arrival.why or ""
        if arrival.kind == "failed":
            self._bus.publish(AddFailed(item.url, item.preset, why))
        elif arrival.kind == "refused":
            self._bus.publish(AddRefused(item.url, item.preset, why))
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
