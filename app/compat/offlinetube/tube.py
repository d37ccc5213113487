"""``OfflineTube``: the layer's one service, built once by the server for both mountings.

Searches, trending and remote thumbnails each take a worker. A page of results or a list of
downloads asks for many thumbnails at once, so at most ``parallel`` of these jobs run at a
time (the others wait their turn, not a fork each), and recent thumbnails are kept in
memory up to ``THUMBNAIL_CACHE_BYTES``.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from app.compat.offlinetube import discovery
from app.compat.offlinetube.discovery import Source
from app.compat.offlinetube.service import Library
from app.compat.offlinetube.thumbnails import Image, fetch_image
from app.compat.offlinetube.views import info_of, result_of
from app.downloads.models import Item
from app.downloads.service import Downloads
from app.sandbox.network import NetworkPolicy
from app.settings import Settings
from app.workers.pool import WorkerPool
from app.ytdlp.info import InfoService
from app.ytdlp.params import PresetSource

THUMBNAIL_CACHE_BYTES = 16 * 1024 * 1024
T = TypeVar("T")


class OfflineTube:
    def __init__(
        self,
        settings: Settings,
        downloads: Downloads,
        pool: WorkerPool,
        presets: PresetSource,
        info: InfoService,
        *,
        parallel: int = 4,
    ) -> None:
        self.library = Library(
            downloads, settings.offlinetube_preset, settings.download_path, settings.remove_files
        )
        self._settings = settings
        self._pool = pool
        self._presets = presets
        self._info = info
        self._network = NetworkPolicy.of(settings)
        self._slots = asyncio.Semaphore(parallel)
        self._thumbnails: OrderedDict[str, Image] = OrderedDict()
        self._cached_bytes = 0

    async def _in_turn(self, work: Callable[[], Awaitable[T]]) -> T:
        async with self._slots:
            return await work()

    async def search(self, query: str, limit: int) -> list[dict[str, Any]]:
        settings = self._settings
        source = Source(
            settings.offlinetube_search, settings.offlinetube_preset, settings.allow_unsafe_options
        )
        return await self._in_turn(
            lambda: discovery.search(self._pool, self._presets, source, query, limit)
        )

    async def trending(self, limit: int) -> list[dict[str, Any]]:
        return await self.search(self._settings.offlinetube_trending, limit)

    async def info(self, url: str) -> dict[str, Any]:
        found = await self._info.info(url, self._settings.offlinetube_preset)
        return info_of(found, url)

    async def look_up(self, url: str) -> list[dict[str, Any]]:
        """ "Search by URL": the video, or a playlist's entries."""
        found = await self._info.info(url, self._settings.offlinetube_preset)
        entries = found.get("entries") if found.get("_type") == "playlist" else None
        return [result_of(e) for e in entries or [found] if isinstance(e, dict)]

    async def thumbnail(self, uid: str) -> Path | Image:
        """The image beside the download's file, else its site's (fetched, then kept)."""
        item = await self.library.item(uid)
        local = await self.library.local_thumbnail(item)
        return local if local is not None else await self._remote_thumbnail(item)

    async def _remote_thumbnail(self, item: Item) -> Image:
        cached = self._thumbnails.get(item.uid)
        if cached is not None:
            self._thumbnails.move_to_end(item.uid)
            return cached
        url = item.extras.thumbnail
        image = await self._in_turn(lambda: fetch_image(self._pool, self._network, url))
        self._keep(item.uid, image)
        return image

    def _keep(self, uid: str, image: Image) -> None:
        if uid in self._thumbnails or len(image.body) > THUMBNAIL_CACHE_BYTES // 4:
            return
        self._thumbnails[uid] = image
        self._cached_bytes += len(image.body)
        while self._cached_bytes > THUMBNAIL_CACHE_BYTES:
            _, dropped = self._thumbnails.popitem(last=False)
            self._cached_bytes -= len(dropped.body)
