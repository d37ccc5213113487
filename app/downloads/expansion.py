"""Playlist and channel expansion: one queued item per entry, batch by batch.

``DownloadQueue`` inherits this; the queue operations it relies on are declared abstract
below, so what an expansion may touch is written down in one place.
"""

from __future__ import annotations

import abc
import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING, Any

from app.core.errors import InvalidInput, NotFound
from app.downloads.intake import Intake, Probe, item_from_video
from app.downloads.models import AddRequest, Item, Status
from app.downloads.preparation import Preparer, request_of
from app.downloads.runner import Outcome
from app.downloads.store import ItemStore
from app.settings import Settings
from app.workers.messages import Entries, Failed, PlaylistEnd

if TYPE_CHECKING:
    from app.conditions.service import ConditionMatch

log = logging.getLogger(__name__)


class PlaylistExpansion(abc.ABC):
    _settings: Settings
    _store: ItemStore
    _intake: Intake
    _preparer: Preparer
    _expansions: dict[str, asyncio.Task[None]]

    @abc.abstractmethod
    async def _enqueue(self, items: list[Item]) -> list[Item]: ...

    @abc.abstractmethod
    async def _finish(self, item: Item, outcome: Outcome) -> None: ...

    @abc.abstractmethod
    def _publish_update(self, item: Item) -> None: ...

    @abc.abstractmethod
    def _condition_for(
        self, request: AddRequest, info: dict[str, Any]
    ) -> ConditionMatch | None: ...

    @abc.abstractmethod
    def _apply(self, item: Item, request: AddRequest, hit: ConditionMatch) -> None: ...

    @abc.abstractmethod
    def _spawn(self, work: Awaitable[Any]) -> asyncio.Task[Any]: ...

    @staticmethod
    def _as_playlist(item: Item, info: dict[str, Any]) -> Item:
        """A probed playlist as the item that tracks its expansion."""
        item.is_playlist = True
        item.id = str(info.get("id")) if info.get("id") is not None else None
        item.extractor = info.get("extractor")
        item.title = info.get("title") or item.url
        item.status = Status.PREPARING
        item.msg = "Expanding the playlist."
        item.extras.entries_queued = 0
        return item

    def _expand_later(self, item: Item, skip: int) -> None:
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
        duplicates = skipped = 0
        async for message in self._intake.entries(found):
            match message:
                case Entries(entries):
                    made = (self._entry_item(playlist, entry) for entry in entries)
                    items = [i for i in made if i is not None]
                    fresh = await self._enqueue(items) if items else []
                    skipped += len(entries) - len(items)
                    duplicates += len(items) - len(fresh)
                    queued += len(entries)  # entries read: a resumed expansion skips them
                    playlist.extras.entries_queued = queued
                    playlist.msg = f"Read {queued} entries."
                    await self._store.save(playlist, "queue")
                    self._publish_update(playlist)
                case PlaylistEnd() as end:
                    playlist.extras.entries_total = end.seen
                    playlist.msg = _expansion_summary(
                        queued, duplicates, skipped, end, self._settings
                    )
                    await self._finish(playlist, Outcome(Status.FINISHED))
                    return
                case Failed(error):
                    await self._finish(playlist, Outcome(Status.ERROR, error=error))
                    return
        await self._finish(playlist, Outcome(Status.ERROR, error="the expansion ended early"))

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
        item.extras.playlist_index = entry.get("playlist_index")
        request = request_of(item)
        hit = self._condition_for(request, entry)
        if hit is not None:
            if hit.skip:
                return None
            try:
                self._apply(item, request, hit)
            except (InvalidInput, NotFound):
                log.warning("condition %r does not apply to %s", hit.name, item.url)
        return item


def _expansion_summary(
    read: int, duplicates: int, skipped: int, end: PlaylistEnd, settings: Settings
) -> str:
    text = f"Queued {read - duplicates - skipped} entries"
    notes = []
    if duplicates:
        notes.append(f"{duplicates} already in the queue")
    if skipped:
        notes.append(f"{skipped} skipped by conditions")
    if notes:
        text += f" ({', '.join(notes)})"
    if end.truncated:
        text += (
            f"; stopped at the limit of {settings.max_playlist_items} entries"
            " (YTP_MAX_PLAYLIST_ITEMS), the rest were not queued"
        )
    return text + "."
