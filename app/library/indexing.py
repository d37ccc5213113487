"""Indexing existing history into the library: a background job with progress.

Runs once, the first time the library starts over a history that predates it (and again
when asked); the server answers meanwhile. History is read in chunks by key; each chunk
is parsed and its files read in a thread, then stored in one transaction, so downloads
finishing meanwhile interleave with it.
"""

from __future__ import annotations

import asyncio
import logging

from app.downloads.service import Downloads
from app.library.models import IndexStatus
from app.library.service import Library

log = logging.getLogger(__name__)

INDEXED = "history_indexed"


class HistoryIndexer:
    def __init__(self, library: Library, downloads: Downloads) -> None:
        self._library = library
        self._downloads = downloads
        self._task: asyncio.Task[None] | None = None
        self._done = 0
        self._total = 0
        self._indexed = False
        self.finished = asyncio.Event()

    async def open(self) -> None:
        """Starts the job unless history was indexed before."""
        self._indexed = await self._library.store.state(INDEXED) is not None
        if self._indexed:
            self.finished.set()
        else:
            self.start()

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    def start(self, *, only_missing: bool = False) -> bool:
        """Starts indexing all of history (``only_missing``: the finished items the library
        holds no video of, as after a snapshot was restored); False when it is already
        running (that run covers them)."""
        if self.running:
            return False
        self.finished.clear()
        self._done = 0
        self._total = int(self._downloads.live()["history_count"])
        self._task = asyncio.create_task(self._run(only_missing), name="library-indexing")
        return True

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def status(self) -> IndexStatus:
        return IndexStatus(
            running=self.running, done=self._done, total=self._total, indexed=self._indexed
        )

    async def _run(self, only_missing: bool) -> None:
        try:
            async for chunk in self._downloads.history_json():
                await self._library.add_stored(chunk, only_missing=only_missing)
                self._done += len(chunk)
            self._total = max(self._total, self._done)
            await self._library.store.set_state(INDEXED, "1")
            self._indexed = True
            log.info("library: %d history items indexed", self._done)
        except Exception:
            log.exception("library: indexing history failed after %d items", self._done)
        finally:
            self.finished.set()
