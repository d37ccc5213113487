"""Playlist and channel expansion: one queued item per entry, batch by batch.

A collaborator of the queue: it is given what it may do to the queue (store entries, finish
the playlist item, publish its progress) as three functions, and nothing else.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput, NotFound
from app.core.events import DomainEvent, LogLevel, LogMessage
from app.downloads.adding import ConditionRules
from app.downloads.events import ItemUpdated
from app.downloads.intake import Intake, Probe, item_from_video
from app.downloads.models import Item, Status
from app.downloads.preparation import Preparer, request_of
from app.downloads.runner import Outcome
from app.downloads.store import ItemStore
from app.settings import Settings
from app.workers.messages import Entries, Failed, PlaylistEnd

log = logging.getLogger(__name__)


class PlaylistExpansion:
    def __init__(
        self,
        *,
        settings: Settings,
        store: ItemStore,
        intake: Intake,
        preparer: Preparer,
        rules: ConditionRules,
        enqueue: Callable[[list[Item]], Awaitable[list[Item]]],
        finish: Callable[[Item, Outcome], Awaitable[None]],
        publish: Callable[[DomainEvent], None],
        spawn: Callable[[Awaitable[Any]], asyncio.Task[Any]],
    ) -> None:
        self._settings = settings
        self._store = store
        self._intake = intake
        self._preparer = preparer
        self._rules = rules
        self._enqueue = enqueue  # stores and announces entries; answers those not duplicates
        self._finish = finish  # moves the playlist item to history
        self._publish = publish
        self._spawn = spawn
        self._expansions: dict[str, asyncio.Task[Any]] = {}

    def start(self, item: Item, found: Probe) -> None:
        """Expands a playlist that was just added, from the probe that found it."""
        item_name = item.title or item.url
        self._publish(_told(LogLevel.INFO, "Expanding playlist", item, f"Reading {item_name}."))
        self._track_expansion(item, self._expand(item, found))

    def resume(self, item: Item, skip: int) -> None:
        """Restarts an expansion that a crash or restart interrupted."""

        async def resume() -> None:
            prepared = self._preparer.prepare(request_of(item), existing=item)
            found = await self._intake.probe(
                item.url, prepared.params, cookies=item.cookies, skip_entries=skip
            )
            if found.kind != "playlist":
                await self._finish(
                    item, Outcome(Status.ERROR, error=found.error or "not a playlist")
                )
                return
            await self._expand(item, found)

        self._track_expansion(item, resume())

    def stop(self, uid: str) -> asyncio.Task[Any] | None:
        """Cancels an item's expansion; answers its task so the caller may await its end."""
        task = self._expansions.get(uid)
        if task is not None:
            task.cancel()
        return task

    def _track_expansion(self, item: Item, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.exception("expanding %s failed", item.url)
                await self._finish(item, Outcome(Status.ERROR, error=str(exc)))
            finally:
                self._expansions.pop(item.uid, None)

        task = self._spawn(guarded())
        self._expansions[item.uid] = task

    async def _expand(self, playlist: Item, found: Probe) -> None:
        queued = playlist.extras.entries_queued or 0
        duplicates = skipped = downloaded = 0
        async for message in self._intake.entries(found):
            match message:
                case Entries(entries):
                    made = (self._entry_item(playlist, entry) for entry in entries)
                    items = [i for i in made if i is not None]
                    skipped += len(entries) - len(items)
                    new = await self._not_downloaded(playlist, items)
                    downloaded += len(items) - len(new)
                    fresh = await self._enqueue(new) if new else []
                    duplicates += len(new) - len(fresh)
                    queued += len(entries)  # entries read: a resumed expansion skips them
                    playlist.extras.entries_queued = queued
                    playlist.msg = f"Read {queued} entries."
                    await self._store.save(playlist, "queue")
                    self._publish(ItemUpdated(playlist))
                case PlaylistEnd() as end:
                    playlist.extras.entries_total = end.total or end.seen
                    playlist.msg = _expansion_summary(
                        queued, Counts(duplicates, skipped, downloaded), end, self._settings
                    )
                    await self._finish(playlist, Outcome(Status.FINISHED))
                    level = LogLevel.WARNING if end.truncated else LogLevel.SUCCESS
                    self._publish(_told(level, "Playlist expanded", playlist))
                    return
                case Failed(error):
                    await self._finish(playlist, Outcome(Status.ERROR, error=error))
                    return
        await self._finish(playlist, Outcome(Status.ERROR, error="the expansion ended early"))

    async def _not_downloaded(self, playlist: Item, items: list[Item]) -> list[Item]:
        """The entries history does not hold as finished (all of them when forced)."""
        if playlist.options.get("force"):
            return items
        done = await self._store.finished_identities(i.identity for i in items if i.identity)
        return [item for item in items if item.identity not in done]

    def _entry_item(self, playlist: Item, entry: dict[str, Any]) -> Item | None:
        """An entry as an item, with conditions applied; None when a condition skips it."""
        item = Item(
            url=entry.get("url") or playlist.url,
            preset=playlist.preset,
            folder=playlist.folder,
            template=playlist.template,
            cli=playlist.cli,
            cookies=playlist.cookies,
            auto_start=playlist.auto_start,
            status=Status.PENDING,
            options=dict(playlist.options),
        )
        item_from_video(item, entry)
        item.extras.playlist = playlist.title
        item.extras.playlist_id = playlist.id
        item.extras.playlist_index = entry.get("playlist_index")
        request = request_of(item)
        hit = self._rules.match(request, entry)
        if hit is not None:
            if hit.skip:
                return None
            try:
                self._rules.apply(item, request, hit)
            except (InvalidInput, NotFound):
                log.warning("condition %r does not apply to %s", hit.name, item.url)
        return item


def _told(level: LogLevel, title: str, playlist: Item, message: str | None = None) -> LogMessage:
    """A toast about a playlist for the people watching (log_info/success/warning)."""
    data = {"_id": playlist.uid, "url": playlist.url, "preset": playlist.preset}
    return LogMessage(level=level, title=title, message=message or playlist.msg or "", data=data)


@dataclass(frozen=True, slots=True)
class Counts:
    """Entries read but not queued, by why."""

    duplicates: int  # already in the queue
    skipped: int  # skipped by a condition
    downloaded: int  # finished in history


def _expansion_summary(read: int, counts: Counts, end: PlaylistEnd, settings: Settings) -> str:
    text = f"Queued {read - counts.duplicates - counts.skipped - counts.downloaded} entries"
    notes = []
    if counts.duplicates:
        notes.append(f"{counts.duplicates} already in the queue")
    if counts.downloaded:
        notes.append(f"{counts.downloaded} already downloaded")
    if counts.skipped:
        notes.append(f"{counts.skipped} skipped by conditions")
    if notes:
        text += f" ({', '.join(notes)})"
    if end.truncated:
        found = f" of {end.total}" if end.total else ""
        text += (
            f"; stopped at the limit of {settings.max_playlist_items} entries{found}"
            " (YTP_MAX_PLAYLIST_ITEMS), the rest were not queued"
        )
    return text + "."
