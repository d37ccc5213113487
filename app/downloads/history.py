"""Finished, failed and cancelled items: stored in SQLite, read page by page."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

from app.core.errors import InvalidInput, NotFound
from app.core.events import EventBus
from app.core.pagination import Page
from app.core.paths import resolve_under
from app.downloads.events import ItemDeleted, ItemUpdated
from app.downloads.models import Item
from app.downloads.store import ItemStore, Order, StatusFilter

log = logging.getLogger(__name__)


class History:
    def __init__(self, store: ItemStore, bus: EventBus, download_path: Path) -> None:
        self._store = store
        self._bus = bus
        self._download_path = download_path
        self.count = 0

    async def open(self) -> None:
        self.count = await self._store.count("done")

    async def add(self, item: Item) -> None:
        await self._store.save(item, "done")
        self.count += 1

    async def downloaded(self, item: Item) -> bool:
        """Whether history holds the item's video as finished."""
        identity = item.identity
        return bool(identity and await self._store.finished_identities([identity]))

    async def get(self, uid: str) -> Item | None:
        found = await self._store.get(uid)
        return found[0] if found and found[1] == "done" else None

    async def page_json(self, page: Page, order: Order, status: StatusFilter | None) -> str:
        """The paginated answer as JSON text, built around the stored item texts."""
        total = self.count if status is None else await self._store.count("done", status)
        rows = await self._store.page_json("done", page, order=order, status=status, total=total)
        return f'{{"pagination":{json.dumps(page.envelope(total))},"items":[{",".join(rows)}]}}'

    def iter_json(self) -> AsyncIterator[list[str]]:
        return self._store.iter_json("done")

    def counted(self, added: int) -> None:
        """Items the queue stored in history together with others (one transaction)."""
        self.count += added

    async def update(
        self,
        uid: str,
        changes: dict[str, Any],
        check: Callable[[Item], object] | None = None,
    ) -> Item | None:
        """Changes a stored item; ``check`` may refuse the changed item before it is saved."""
        item = await self.get(uid)
        if item is None:
            raise NotFound("Item not found.")
        changed = {k: v for k, v in changes.items() if getattr(item, k) != v}
        if not changed:
            return None
        candidate = item.model_copy(update=changed)
        if check is not None:
            check(candidate)
        await self._store.save(candidate, "done")
        self._bus.publish(ItemUpdated(candidate))
        return candidate

    async def mark_archived(
        self, identities: set[tuple[str, str]], presets: set[str], archived: bool
    ) -> None:
        """Items of these videos and presets say whether their archive holds them."""
        for item in await self._store.with_identities("done", identities):
            if item.preset in presets and item.is_archived != archived:
                item.is_archived = archived
                await self._store.save(item, "done")
                self._bus.publish(ItemUpdated(item))

    async def ids_matching(self, status: StatusFilter) -> list[str]:
        return await self._store.ids_matching("done", status)

    async def delete(self, uids: list[str], remove_file: bool) -> dict[str, str]:
        """Deletes items in one transaction, then their files; answers per id."""
        found = {item.uid: item for item in await self._store.get_many(uids, "done")}
        self.count -= await self._store.delete(found)
        for item in found.values():
            if remove_file and item.filename:
                await self._remove_file(item.filename)
            self._bus.publish(ItemDeleted(item))
        return {uid: "deleted" if uid in found else "not found" for uid in uids}

    async def _remove_file(self, filename: str) -> None:
        try:
            path = resolve_under(self._download_path, filename, "filename")
        except InvalidInput:
            log.warning("not removing %r: it is outside the download path", filename)
            return
        try:
            await asyncio.to_thread(path.unlink, True)
        except OSError as exc:  # the item is gone already: a file left behind is only logged
            log.warning("could not remove %s: %s", path, exc)

    async def files_moved(self, moves: list[tuple[str, str]]) -> list[Item]:
        """Items follow their file (or the folder holding it) to its new path; ``moves``
        are ``(old, new)`` paths from the download root, in the order they happened."""
        changed = []
        for old, new in moves:
            for item in await self._store.with_file("done", old):
                assert item.filename is not None
                item.filename = new + item.filename[len(old) :]
                await self._store.save(item, "done")
                self._bus.publish(ItemUpdated(item))
                changed.append(item)
        return changed

    async def files_deleted(self, paths: list[str]) -> list[Item]:
        """Items whose file (or a folder holding it) was deleted keep no filename and say
        which file went (``msg``)."""
        changed = []
        for path in paths:
            for item in await self._store.with_file("done", path):
                item.msg = f"File deleted: {item.filename}"
                item.filename = None
                item.file_size = None
                await self._store.save(item, "done")
                self._bus.publish(ItemUpdated(item))
                changed.append(item)
        return changed
