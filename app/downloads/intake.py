"""Identifies submitted URLs in a child process: a video, or a playlist to expand."""

from __future__ import annotations

import asyncio
import contextlib
import secrets
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from app.downloads.models import AddResult, Item
from app.workers.messages import (
    Archived,
    Entries,
    Exit,
    Failed,
    Playlist,
    PlaylistEnd,
    Video,
)
from app.workers.pool import Child, WorkerPool
from app.ytdlp.jobs import DownloadJob, ProbeJob, probe

ProbeKind = Literal["video", "playlist", "archived", "error"]


@dataclass(slots=True)
class Probe:
    """What a URL turned out to be. A playlist keeps its child streaming entries."""

    kind: ProbeKind
    info: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    child: Child | None = None


# "archived" and "downloaded" are recorded in history as skips.
ArrivalKind = Literal["queued", "playlist", "archived", "downloaded", "failed", "refused"]


@dataclass(slots=True)
class Arrival:
    """One URL of an add, identified but not stored: nobody has seen it yet.

    ``found`` holds the probe's child for a queued video (warm, ready to download) or a
    playlist (streaming its entries); whoever drops the arrival releases it.
    """

    item: Item
    kind: ArrivalKind
    why: str | None = None
    found: Probe | None = None

    def refuse(self, why: str) -> None:
        self.kind, self.why = "refused", why

    def result(self) -> AddResult:
        if self.kind in ("queued", "playlist"):
            return AddResult("queued", None, self.item)
        if self.kind in ("archived", "downloaded"):
            return AddResult(False, self.why, self.item)
        return AddResult(False, self.why, None)


class FairSlots:
    """A semaphore whose waiters are served round-robin by owner, then in order.

    One request with hundreds of URLs queues hundreds of probes; a single URL submitted
    after it gets the next free slot instead of waiting behind all of them.
    """

    def __init__(self, size: int) -> None:
        self._free = size
        self._waiting: OrderedDict[Hashable, deque[asyncio.Future[None]]] = OrderedDict()

    @contextlib.asynccontextmanager
    async def slot(self, owner: Hashable) -> AsyncIterator[None]:
        await self._acquire(owner)
        try:
            yield
        finally:
            self._release()

    async def _acquire(self, owner: Hashable) -> None:
        if self._free > 0 and not self._waiting:
            self._free -= 1
            return
        turn: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(owner, deque()).append(turn)
        try:
            await turn
        except asyncio.CancelledError:
            if turn.done() and not turn.cancelled():
                self._release()  # granted just as it was cancelled: pass it on
            else:
                self._forget(owner, turn)
            raise

    def _release(self) -> None:
        while self._waiting:
            owner, turns = next(iter(self._waiting.items()))
            turn = turns.popleft()
            del self._waiting[owner]
            if turns:
                self._waiting[owner] = turns  # to the back of the line of owners
            if not turn.done():
                turn.set_result(None)
                return
        self._free += 1

    def _forget(self, owner: Hashable, turn: asyncio.Future[None]) -> None:
        turns = self._waiting.get(owner)
        if turns is not None and turn in turns:
            turns.remove(turn)
            if not turns:
                del self._waiting[owner]


DISMISS_GRACE = 2.0  # seconds a dismissed probe has to end its job before it is stopped


class Intake:
    def __init__(self, pool: WorkerPool, temp_path: Path, max_entries: int, parallel: int) -> None:
        self._pool = pool
        self._temp_path = temp_path
        self._max_entries = max_entries
        self._slots = FairSlots(parallel)

    async def probe(
        self,
        url: str,
        params: dict[str, Any],
        *,
        cookies: str = "",
        skip_entries: int = 0,
        download: DownloadJob | None = None,
        owner: Hashable = None,
    ) -> Probe:
        """Identifies a URL; with ``download`` a video's child stays, ready to download it.

        Probes of one ``owner`` (one add request) take turns with other owners' probes.
        """
        async with self._slots.slot(owner):
            cookie_file = ""
            if cookies:
                await asyncio.to_thread(self._temp_path.mkdir, parents=True, exist_ok=True)
                cookie_file = str(self._temp_path / f".probe-cookies-{secrets.token_hex(8)}.txt")
            job = ProbeJob(
                url=url,
                params=params,
                max_entries=self._max_entries,
                skip_entries=skip_entries,
                cookies=cookies,
                cookie_file=cookie_file,
                download=download,
            )
            child = await self._pool.spawn(probe, job)
            try:
                return await self._first(child, keep=download is not None)
            finally:
                if cookie_file:
                    await asyncio.to_thread(Path(cookie_file).unlink, True)

    async def _first(self, child: Child, keep: bool) -> Probe:
        async for message in child.messages():
            match message:
                case Video(info) if keep:
                    return Probe("video", info, child=child)
                case Video(info):
                    await self._finish(child)
                    return Probe("video", info)
                case Playlist(info):
                    return Probe("playlist", info, child=child)
                case Failed(error):
                    await self._finish(child)
                    return Probe("error", error=error or "extraction failed")
                case Archived(why):
                    await self._finish(child)
                    return Probe("archived", error=why)
        await self._finish(child)
        return Probe("error", error="the extraction process ended unexpectedly")

    async def _finish(self, child: Child) -> None:
        await child.wait()
        self._pool.release(child)

    async def release(self, found: Probe) -> None:
        """Lets go of a probe that will not be used: its worker stays for the next job."""
        if found.child is None:
            return
        child, found.child = found.child, None
        if found.kind == "video":
            await self.dismiss(child)
        else:
            await self._settle(child, graceful=False)

    async def dismiss(self, child: Child) -> None:
        """Ends the job of a probe that waited to download but will not; the worker stays."""
        child.send(Exit())
        await self._settle(child, graceful=True)

    async def entries(self, found: Probe) -> AsyncIterator[Entries | PlaylistEnd | Failed]:
        """A playlist's ``Entries`` batches, then one ``PlaylistEnd`` (or ``Failed``)."""
        child = found.child
        if child is None:
            return
        ended = False
        try:
            async for message in child.messages():
                match message:
                    case Entries():
                        yield message
                    case PlaylistEnd() | Failed():
                        ended = True
                        yield message
        finally:
            await self._settle(child, graceful=ended)

    async def _settle(self, child: Child, graceful: bool) -> None:
        """A finished job gets a moment to say so and keeps its worker; any other is stopped."""
        if child.busy and graceful:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(child.wait(), DISMISS_GRACE)
        if child.busy:
            await child.stop()
        self._pool.release(child)


def item_from_video(item: Item, info: dict[str, Any]) -> Item:
    """Fills an item from a probe's video summary (title, ids, extras)."""
    item.id = str(info["id"]) if info.get("id") is not None else item.id
    item.extractor = info.get("extractor") or item.extractor
    item.title = info.get("title") or item.title
    item.description = info.get("description") or item.description
    item.is_live = bool(info.get("is_live")) or info.get("live_status") == "is_live"
    extras = item.extras
    if isinstance(info.get("duration"), int | float):
        extras.duration = float(info["duration"])
    extras.thumbnail = info.get("thumbnail") or extras.thumbnail
    extras.channel = info.get("channel") or extras.channel
    extras.uploader = info.get("uploader") or extras.uploader
    extras.is_premiere = info.get("live_status") == "is_upcoming"
    if item.extractor and item.id:
        item.archive_id = f"{item.extractor.lower()} {item.id}"
        item.is_archivable = True
    return item
