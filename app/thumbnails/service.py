"""Thumbnails for the UI: the disk cache first, then one fetch per URL however many ask."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from app.thumbnails.cache import ThumbnailCache
from app.thumbnails.fetching import ImageFetcher, parse_url
from app.thumbnails.images import SNIFF_BYTES, Image, sniff


@dataclass(frozen=True, slots=True)
class Thumbnail:
    image: Image
    cached: bool


class Thumbnails:
    def __init__(self, fetcher: ImageFetcher, cache: ThumbnailCache) -> None:
        self._fetcher = fetcher
        self._cache = cache
        self._locks: dict[str, asyncio.Lock] = {}
        self._waiting: dict[str, int] = {}

    async def open(self) -> None:
        await self._cache.open()
        await self._fetcher.open()

    async def close(self) -> None:
        await self._fetcher.close()

    async def get(self, text: str | None) -> Thumbnail:
        url = parse_url(text)
        # Checked on a cache hit too: a setting changed since must hold for cached images.
        self._fetcher.check_url(url)
        key = str(url)
        async with self._one_at_a_time(key):
            cached = await self._cache.get(key)
            kind = sniff(cached[:SNIFF_BYTES]) if cached is not None else None
            if cached is not None and kind is not None:  # a damaged file is fetched again
                return Thumbnail(Image(cached, kind), cached=True)
            image = await self._fetcher.fetch(url)
            await self._cache.put(key, image.body)
            return Thumbnail(image, cached=False)

    @asynccontextmanager
    async def _one_at_a_time(self, key: str) -> AsyncIterator[None]:
        """Requests for one URL take turns: the first fetches, the rest find it cached."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                del self._waiting[key], self._locks[key]
