"""``Downloads``: the one object every door uses for items, queued or in history.

Routes, ``/ws`` and socket.io commands, archives, NFO and the compatibility layers call
this; none of them asks the queue and the history separately where an item is. The
queue holds what waits or runs, the history what ended; this object knows which to ask.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from app.core.errors import NotFound
from app.core.pagination import Page
from app.downloads.history import History
from app.downloads.models import FINAL, AddRequest, AddResult, Item
from app.downloads.preparation import request_of
from app.downloads.queue import DownloadQueue
from app.downloads.registry import Position
from app.downloads.store import Location, Order, StatusFilter

NOT_FOUND = "not found"


def identity_of(archive_id: str) -> tuple[str, str]:
    """yt-dlp's archive id, "<extractor lowercased> <video id>", as an item's identity."""
    extractor, _, video_id = archive_id.partition(" ")
    return (extractor.lower(), video_id)


class Downloads:
    def __init__(self, queue: DownloadQueue, history: History, *, remove_files: bool) -> None:
        self._queue = queue
        self._history = history
        self._remove_files = remove_files  # the operator's YTP_REMOVE_FILES

    # -- reading ------------------------------------------------------------------------

    @property
    def paused(self) -> bool:
        return self._queue.paused

    async def find(self, uid: str, where: Location | None = None) -> Item | None:
        """The item, from the queue or history (or only from ``where``); an added item
        still being identified is found in the queue, as ``preparing``."""
        if where != "done":
            item = self._queue.items.get(uid) or self._queue.reserved(uid)
            if item is not None or where == "queue":
                return item
        return await self._history.get(uid)

    async def get(self, uid: str, where: Location | None = None) -> Item:
        item = await self.find(uid, where)
        if item is None:
            raise NotFound("Item not found.")
        return item

    def queued(self) -> list[Item]:
        return list(self._queue.items)

    def queue_page(
        self, page: Page, order: Order, status: StatusFilter | None
    ) -> tuple[int, list[Item]]:
        return self._queue.items.page(page, order, status)

    async def history_page_json(self, page: Page, order: Order, status: StatusFilter | None) -> str:
        """A page of history as JSON text, built around the stored item texts."""
        return await self._history.page_json(page, order, status)

    def history_json(self) -> AsyncIterator[list[str]]:
        """Every history item as stored JSON text, oldest first, in chunks."""
        return self._history.iter_json()

    def live(self) -> dict[str, Any]:
        """The queue keyed by id and the number of history items."""
        return {
            "queue": {item.uid: item.public() for item in self._queue.items},
            "history_count": self._history.count,
        }

    async def ids_matching(self, where: Location, status: StatusFilter) -> list[str]:
        if where == "queue":
            return [item.uid for item in self._queue.items.matching(status)]
        return await self._history.ids_matching(status)

    # -- changing -----------------------------------------------------------------------

    async def add(self, requests: list[AddRequest], *, wait: bool = True) -> list[AddResult]:
        """Adds a batch: all are validated and stored at once, or none; then each URL is
        identified. ``wait=False`` answers once they are stored, as ``preparing``."""
        return await self._queue.add(requests, wait=wait)

    async def start(self, uids: Iterable[str]) -> dict[str, str]:
        """Lets paused queued items start; answers each id ``started`` or ``not found``."""
        return await self._queue.start(uids)

    async def start_now(self, uids: Iterable[str]) -> dict[str, str]:
        """Starts queued items at once, past the download limits and the pause."""
        return await self._queue.start_now(uids)

    async def move(self, uids: Iterable[str], to: Position) -> dict[str, str]:
        """Moves queued items to the top or bottom of the queue; answers ``moved`` or
        ``not found`` per id."""
        return await self._queue.move(uids, to)

    async def pause(self, uids: Iterable[str]) -> dict[str, str]:
        """Stops queued items (a running one keeps its partial file) until started again."""
        return await self._queue.pause(uids)

    async def cancel(self, uids: Iterable[str]) -> dict[str, str]:
        """Cancels queued items into history; answers each id ``ok`` or ``not found``."""
        return await self._queue.cancel(uids)

    async def retry(self, uids: Iterable[str]) -> dict[str, str]:
        """Adds ended items again (the old entry leaves history once the new one is queued).

        Answers each id ``queued``, why it was not, or ``not found`` (queued items too).
        """
        result = {}
        for uid in dict.fromkeys(uids):
            item = await self._history.get(uid)
            if item is None or item.status not in FINAL:
                result[uid] = NOT_FOUND
                continue
            again = request_of(item).model_copy(update={"force": True})
            [added] = await self._queue.add([again])
            if added.status == "queued":
                await self._history.delete([uid], remove_file=False)
            result[uid] = "queued" if added.status == "queued" else added.msg or "not queued"
        return result

    async def delete(
        self, uids: Iterable[str], *, remove_file: bool = False, where: Location | None = None
    ) -> dict[str, str]:
        """Deletes items wherever they are (or only from ``where``); answers per id.

        A queued item is stopped and its partial files go; ``remove_file`` also removes a
        finished item's file when the operator allows it.
        """
        asked = list(uids)
        queued = {uid for uid in asked if where != "done" and self._queue.items.get(uid)}
        rest = [uid for uid in asked if uid not in queued]
        result = await self._queue.remove(queued) if queued else {}
        if rest and where != "queue":
            allowed = remove_file and self._remove_files
            result |= await self._history.delete(rest, allowed)
        return {uid: result.get(uid, NOT_FOUND) for uid in asked}

    async def update(self, uid: str, changes: dict[str, Any]) -> Item | None:
        """Changes an item, queued or in history; None when nothing changed.

        A change to what the item downloads is checked as an add is: refused before
        anything is stored. A downloading item is not changed (409).
        """
        item = self._queue.items.get(uid)
        if item is not None:
            return await self._queue.update(item, changes)
        return await self._history.update(uid, changes, check=self._queue.check_change)

    async def mark_archived(
        self, archive_ids: Iterable[str], presets: Iterable[str], *, archived: bool
    ) -> None:
        """Items whose archive id was added to (removed from) the download archive of
        their preset say so (``is_archived``); ``presets`` are those that use that file."""
        identities = {identity_of(archive_id) for archive_id in archive_ids}
        names = set(presets)
        await self._queue.mark_archived(identities, names, archived)
        await self._history.mark_archived(identities, names, archived)

    async def pause_all(self) -> None:
        """No download starts until ``resume_all`` (406 when already paused)."""
        await self._queue.pause_all()

    async def resume_all(self) -> None:
        await self._queue.resume_all()

    # -- files changed by the file browser ------------------------------------------------

    async def files_moved(self, moves: Iterable[tuple[str, str]]) -> list[Item]:
        """History items follow their file (or its folder) when it is renamed or moved:
        ``(old, new)`` paths from the download root. Each changed item is published."""
        return await self._history.files_moved(list(moves))

    async def files_deleted(self, paths: Iterable[str]) -> list[Item]:
        """History items whose file (or its folder) was deleted are marked: no filename,
        ``msg`` names the file. Each changed item is published."""
        return await self._history.files_deleted(list(paths))
