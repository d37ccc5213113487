"""The library's rules: filled from finished downloads, searched, paged; progress per user.

The service subscribes to the bus: an item that finished is read into the library by
one writer task (files beside it are read in a thread), an item deleted from history
leaves it. Existing history is indexed by a background job (``indexing.py``).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.events import DomainEvent, EventBus
from app.downloads.events import ItemCompleted, ItemDeleted
from app.downloads.models import Item, Status
from app.library import query
from app.library.files import ShowDetails, read_subtitles, sidecar_catalog
from app.library.models import Channel, Comment, Playlist, Progress, Video
from app.library.records import Record, record_of, with_show, with_subtitles
from app.library.shows import ShowStore
from app.library.store import Hit, LibraryStore, Sort

log = logging.getLogger(__name__)

SUGGESTION_CANDIDATES = 5000


def catalog_of(root: Path, item: Item) -> dict[str, Any]:
    """What yt-dlp said of the item: sent with a new download, or the ``.info.json`` beside
    an older file (history does not keep it); empty when neither (blocking)."""
    if item.catalog or not item.filename:
        return item.catalog
    return sidecar_catalog(root, item.filename)


def build_record(
    root: Path,
    item: Item,
    now_ns: int,
    shows: ShowDetails,
    catalog: dict[str, Any] | None = None,
) -> Record | None:
    """A finished item's record with what lies beside its file (blocking: in a thread);
    ``catalog`` when the caller has read it already."""
    catalog = catalog_of(root, item) if catalog is None else catalog
    record = record_of(item, catalog, now_ns)
    if record is None:
        return None
    media = item.filename or ""
    if record.channel is not None:
        with_show(record.channel, shows.of(media, record.channel.channel_id))
    if record.playlist is not None:
        with_show(record.playlist, shows.of(media, record.playlist.playlist_id))
    return with_subtitles(record, read_subtitles(root, catalog, media))


def _nothing() -> None:
    pass


class Library:
    def __init__(
        self, store: LibraryStore, shows: ShowStore, bus: EventBus, download_path: Path
    ) -> None:
        self.store = store
        self.shows = shows
        self._bus = bus
        self._root = download_path
        self._inbox: asyncio.Queue[Item | ItemDeleted] = asyncio.Queue()
        self._writer: asyncio.Task[None] | None = None
        self._unsubscribe: Callable[[], None] = _nothing

    async def open(self) -> None:
        self._unsubscribe = self._bus.subscribe(self._on_event)
        self._writer = asyncio.create_task(self._write_forever(), name="library-writer")

    async def close(self) -> None:
        self._unsubscribe()
        if self._writer is not None:
            self._writer.cancel()
            await asyncio.gather(self._writer, return_exceptions=True)

    async def settled(self) -> None:
        """Waits until every event received so far is in the library."""
        await self._inbox.join()

    def _on_event(self, event: DomainEvent) -> None:
        if isinstance(event, ItemCompleted):
            self._inbox.put_nowait(event.item)
        elif isinstance(event, ItemDeleted):
            self._inbox.put_nowait(event)

    async def _write_forever(self) -> None:
        while True:
            entry = await self._inbox.get()
            try:
                if isinstance(entry, ItemDeleted):
                    await self.store.delete_items([entry.item.uid])
                else:
                    await self.add([entry])
            except Exception:
                # One bad item must not stop the library; the next ones still go in.
                log.exception("the library could not take an item")
            finally:
                self._inbox.task_done()

    async def add(self, items: list[Item]) -> int:
        """Stores finished items; answers how many became library videos."""
        now = time.time_ns()
        shows = ShowDetails(self._root)
        records = await asyncio.to_thread(
            lambda: [build_record(self._root, item, now, shows) for item in items]
        )
        found = [record for record in records if record is not None]
        await self.store.put(found)
        return len(found)

    async def add_stored(self, texts: list[str], *, only_missing: bool = False) -> int:
        """Stores history items given as their stored JSON (the indexing of history);
        ``only_missing`` skips the items the library already holds a video of."""
        now = time.time_ns()
        shows = ShowDetails(self._root)

        def parse() -> list[Item]:
            items = (Item.model_validate_json(text) for text in texts)
            return [item for item in items if item.status == Status.FINISHED]

        items = await asyncio.to_thread(parse)
        if only_missing:
            known = await self.store.known_items([item.uid for item in items])
            items = [item for item in items if item.uid not in known]

        def build() -> list[Record]:
            records = (build_record(self._root, item, now, shows) for item in items)
            return [record for record in records if record is not None]

        found = await asyncio.to_thread(build)
        await self.store.put(found)
        return len(found)

    # Reading

    async def video(self, video_id: str) -> Video | None:
        return await self.store.video(video_id)

    async def videos(
        self,
        offset: int,
        limit: int,
        *,
        sort: Sort = "downloaded",
        channel_id: str | None = None,
        playlist_id: str | None = None,
        file: str | None = None,
    ) -> tuple[int, list[Video]]:
        return await self.store.videos(
            offset, limit, sort=sort, channel_id=channel_id, playlist_id=playlist_id, file=file
        )

    async def search(self, text: str, offset: int, limit: int) -> tuple[int, list[Hit]]:
        found = query.words(text)
        if not found:
            return 0, []
        return await self.store.search(query.match_all(found), offset, limit)

    async def suggestions(self, text: str) -> list[str]:
        """The query with misspelt words replaced by the nearest indexed ones."""
        found = query.words(text)
        fixes: dict[str, list[str]] = {}
        for word in found:
            if len(word) < 3 or await self.store.term_known(word):
                continue
            low = word[:1]  # a typo in the second letter is still found
            candidates = await self.store.terms_between(
                low, low + "\U0010ffff", SUGGESTION_CANDIDATES
            )
            # difflib over thousands of terms is CPU work: not on the loop.
            near = await asyncio.to_thread(query.closest, word, candidates)
            if near:
                fixes[word] = near
        if not fixes:
            return []
        longest = max(len(options) for options in fixes.values())
        suggested = []
        for choice in range(longest):
            fixed = [fixes[w][min(choice, len(fixes[w]) - 1)] if w in fixes else w for w in found]
            suggested.append(" ".join(fixed))
        return list(dict.fromkeys(suggested))

    async def similar(self, video: Video, limit: int) -> list[Video]:
        """Videos sharing the most words of this one's title and tags, by FTS relevance."""
        found = list(dict.fromkeys(query.words(" ".join([video.title, *video.tags]))))
        if not found:
            return []
        _, hits = await self.store.search(query.match_any(found), 0, limit + 1)
        return [hit.video for hit in hits if hit.video.video_id != video.video_id][:limit]

    async def comments(self, video_id: str) -> list[Comment]:
        return await self.store.comments(video_id)

    async def channels(self, offset: int, limit: int) -> tuple[int, list[Channel]]:
        return await self.shows.channels(offset, limit)

    async def channel(self, channel_id: str) -> Channel | None:
        return await self.shows.channel(channel_id)

    async def playlists(self, offset: int, limit: int) -> tuple[int, list[Playlist]]:
        return await self.shows.playlists(offset, limit)

    async def playlist(self, playlist_id: str) -> Playlist | None:
        return await self.shows.playlist(playlist_id)

    async def channels_by_id(self, channel_ids: list[str]) -> dict[str, Channel]:
        return await self.shows.channels_by_id(channel_ids)

    async def find_channels(self, text: str, limit: int) -> list[Channel]:
        return await self.shows.find_channels(text, limit)

    async def find_playlists(self, text: str, limit: int) -> list[Playlist]:
        return await self.shows.find_playlists(text, limit)

    async def subscribe_channel(self, channel: Channel) -> None:
        await self.shows.put_channel(channel)

    async def subscribe_playlist(self, playlist: Playlist) -> None:
        await self.shows.put_playlist(playlist)

    # Progress

    async def progress(self, user_id: int, video_id: str) -> Progress:
        return await self.store.progress(user_id, video_id)

    async def progress_of(self, user_id: int, video_ids: list[str]) -> dict[str, Progress]:
        return await self.store.progress_of(user_id, video_ids)

    async def set_progress(self, progress: Progress) -> Progress:
        await self.store.set_progress(progress)
        return progress

    async def forget_progress(self, user_id: int, video_id: str) -> None:
        await self.store.delete_progress(user_id, video_id)
