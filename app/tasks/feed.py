"""The feed handler: RSS and Atom, parsed with feedparser.

The feed is fetched in a worker (the sandbox and address policy apply to it as to any
extraction); parsing is CPU work, so it runs off the event loop.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlsplit

import feedparser

from app.tasks.handlers import Entry

Fetch = Callable[[str], Awaitable[bytes]]

# By the URL alone (can_handle is static): the usual feed paths and YouTube's feeds.
_FEED_PATH = re.compile(r"(\.(xml|rss|atom)$|/(feed|feeds|rss|atom)(/|$)|/feeds/videos\.xml$)")


class FeedHandler:
    name = "FeedTaskHandler"

    def __init__(self, fetch: Fetch) -> None:
        self._fetch = fetch

    def can_handle(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(_FEED_PATH.search(parts.path.lower()))

    async def entries(self, url: str, *, preset: str, static_only: bool = False) -> list[Entry]:
        if static_only:
            return []
        body = await self._fetch(url)
        parsed = await asyncio.to_thread(feedparser.parse, body)
        if parsed.bozo and not parsed.entries:
            raise ValueError(f"{url} is not an RSS or Atom feed: {parsed.bozo_exception}")
        return [entry for item in parsed.entries if (entry := _entry(item)) is not None]


def _entry(item: Any) -> Entry | None:
    link = item.get("link") or next(
        (ref.get("href") for ref in item.get("links", []) if ref.get("href")), None
    )
    if not isinstance(link, str) or not link.startswith(("http://", "https://")):
        return None
    video_id = item.get("yt_videoid") or item.get("id")
    return Entry(url=link, title=item.get("title"), id=video_id)
