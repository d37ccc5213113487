"""Refreshing named library entries from what Tubestash already has (TubeArchivist's
reindex queue: ``POST /api/refresh/``).

Nothing is extracted from the sites again: a video is read again from its history item
(its file as history has it now, the ``.info.json`` and subtitles beside it), a channel
or a playlist from the details the task metadata step wrote beside its newest videos
(nothing written: nothing to read, it stays). As in TubeArchivist, the ids wait in a
queue that one background job works through, videos first; ``queued`` and ``in_queue``
are what ``GET /api/refresh/`` shows. A video keeps when it entered the library (its
place in the lists); a channel or a playlist keeps its subscription and what the new
reading does not know.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from app.downloads.models import Item, Status
from app.downloads.service import Downloads
from app.library.files import ShowDetails, read_subtitles
from app.library.models import Video
from app.library.records import Record, iso_from_ns, with_show, with_subtitles
from app.library.service import Library, build_record, catalog_of

log = logging.getLogger(__name__)

Kind = Literal["video", "channel", "playlist"]
KINDS: tuple[Kind, ...] = ("video", "channel", "playlist")
BATCH = 200  # videos read again in one thread call and stored in one transaction
EXTRACT_PAGE = 500  # a channel's or playlist's videos, queued a page at a time
SHOW_CANDIDATES = 20  # a show's newest videos whose folders are looked in for its details
Wanted = dict[Kind, list[str]]


class Refresher:
    def __init__(self, library: Library, downloads: Downloads, download_path: Path) -> None:
        self._library = library
        self._downloads = downloads
        self._root = download_path
        self._queue: dict[Kind, dict[str, None]] = {kind: {} for kind in KINDS}  # ordered sets
        self._job: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._idle.set()
        self.refreshed: dict[Kind, int] = dict.fromkeys(KINDS, 0)

    async def close(self) -> None:
        if self._job is not None:
            self._job.cancel()
            await asyncio.gather(self._job, return_exceptions=True)

    async def settled(self) -> None:
        """Waits until the queue is worked through."""
        await self._idle.wait()

    # -- asking -------------------------------------------------------------------------

    async def unknown(self, wanted: Wanted) -> Wanted:
        """The ids of ``wanted`` that the library does not hold, per kind (kinds with none
        left out)."""
        lookup: dict[Kind, Callable[[str], Awaitable[object]]] = {
            "video": self._library.video,
            "channel": self._library.channel,
            "playlist": self._library.playlist,
        }
        missing: Wanted = {}
        for kind, ids in wanted.items():
            gone = [given for given in ids if await lookup[kind](given) is None]
            if gone:
                missing[kind] = gone
        return missing

    async def add(self, wanted: Wanted, *, extract_videos: bool = False) -> None:
        """Queues the ids (and, with ``extract_videos``, every video of the channels and
        playlists named) and starts the job when it is not running."""
        for kind, ids in wanted.items():
            for given in ids:
                self._queue[kind].setdefault(given)
        if extract_videos:
            for channel_id in wanted.get("channel", []):
                await self._queue_videos(channel_id=channel_id)
            for playlist_id in wanted.get("playlist", []):
                await self._queue_videos(playlist_id=playlist_id)
        if self.queued() and (self._job is None or self._job.done()):
            self._idle.clear()
            self._job = asyncio.create_task(self._run(), name="library-refresh")

    async def _queue_videos(
        self, *, channel_id: str | None = None, playlist_id: str | None = None
    ) -> None:
        offset = 0
        while True:
            _, page = await self._library.videos(
                offset, EXTRACT_PAGE, channel_id=channel_id, playlist_id=playlist_id
            )
            for video in page:
                self._queue["video"].setdefault(video.video_id)
            if len(page) < EXTRACT_PAGE:
                return
            offset += len(page)

    def queued(self, kind: Kind | None = None) -> int:
        """Ids waiting (or being read now), of one kind or all."""
        return sum(len(self._queue[k]) for k in KINDS if kind in (None, k))

    def in_queue(self, kind: Kind, given: str) -> bool:
        return given in self._queue[kind]

    # -- the job ------------------------------------------------------------------------

    async def _run(self) -> None:
        work: dict[Kind, Callable[[list[str]], Awaitable[int]]] = {
            "video": self._videos,
            "channel": self._channels,
            "playlist": self._playlists,
        }
        try:
            while self.queued():
                kind = next(k for k in KINDS if self._queue[k])
                batch = list(islice(self._queue[kind], BATCH))
                try:
                    self.refreshed[kind] += await work[kind](batch)
                except Exception:
                    # One entry that cannot be read must not stop the others.
                    log.exception("library: refreshing %d %ss failed", len(batch), kind)
                for given in batch:
                    self._queue[kind].pop(given, None)
        finally:
            self._idle.set()

    async def _item(self, video: Video) -> Item | None:
        """The finished history item a library video came from (None when it is gone)."""
        if not video.item_id:
            return None
        item = await self._downloads.find(video.item_id, "done")
        return item if item is not None and item.status == Status.FINISHED else None

    async def _videos(self, video_ids: list[str]) -> int:
        found = []
        for video_id in video_ids:
            video = await self._library.video(video_id)
            item = None if video is None else await self._item(video)
            if video is not None and item is not None:
                found.append((video, item))
        entered = await self._library.store.downloaded_of([v.video_id for v, _ in found])
        now = iso_from_ns(time.time_ns())
        shows = ShowDetails(self._root)

        def read() -> list[Record]:
            records = []
            for video, item in found:
                since = entered.get(video.video_id)  # None: it left the library meanwhile
                record = None if since is None else _reread(self._root, video, item, since, shows)
                if record is not None:
                    record.video.last_refresh = now
                    records.append(record)
            return records

        records = await asyncio.to_thread(read)
        await self._library.store.put(records)
        return len(records)

    async def _show_details(self, show_id: str, videos: list[Video]) -> dict[str, Any]:
        """What the task metadata step wrote of a show beside the newest of ``videos`` (as
        history has their files now) that has it; empty when none does."""
        files = [i.filename for v in videos if (i := await self._item(v)) and i.filename]

        def read() -> dict[str, Any]:
            shows = ShowDetails(self._root)
            return next((found for f in files if (found := shows.of(f, show_id))), {})

        return await asyncio.to_thread(read)

    async def _channels(self, channel_ids: list[str]) -> int:
        done = 0
        for channel_id in channel_ids:
            known = await self._library.channel(channel_id)
            _, newest = await self._library.videos(0, SHOW_CANDIDATES, channel_id=channel_id)
            details = await self._show_details(channel_id, newest)
            if known is None or not details:
                continue  # nothing of it was written to read again
            with_show(known, details)
            known.last_refresh = iso_from_ns(time.time_ns())
            await self._library.shows.replace_channel(known)
            done += 1
        return done

    async def _playlists(self, playlist_ids: list[str]) -> int:
        done = 0
        for playlist_id in playlist_ids:
            known = await self._library.playlist(playlist_id)
            _, entries = await self._library.videos(0, SHOW_CANDIDATES, playlist_id=playlist_id)
            details = await self._show_details(playlist_id, entries)
            if known is None or not details:
                continue
            with_show(known, details)
            known.last_refresh = iso_from_ns(time.time_ns())
            await self._library.shows.replace_playlist(known)
            done += 1
        return done


def _reread(
    root: Path, video: Video, item: Item, entered_ns: int, shows: ShowDetails
) -> Record | None:
    """The video's record read again (blocking). With what yt-dlp said (history does not
    keep what the download sent; an ``.info.json`` beside the file is read) it is built
    anew; without, history alone knows little: the library's record stays, with the file
    where history says it is now and its subtitles read again beside it."""
    catalog = catalog_of(root, item)
    if catalog:
        record = build_record(root, item, entered_ns, shows, catalog)
        if record is None or record.video.video_id != video.video_id:
            return None
        # Exactly the videos named: their channel and playlist rows stay as they are.
        record.channel = record.playlist = None
        return record
    if not item.filename:
        return None
    kept = video.model_copy(
        update={"file": item.filename, "file_size": item.file_size or video.file_size}
    )
    picked = {
        "subtitles": [
            {
                "lang": s.lang,
                "ext": s.ext,
                "name": s.name,
                "automatic": s.automatic,
                "filepath": PurePosixPath(s.file).name if s.file else None,
            }
            for s in video.subtitles
        ]
    }
    found = read_subtitles(root, picked, item.filename)
    return with_subtitles(Record(video=kept, downloaded_ns=entered_ns), found)
