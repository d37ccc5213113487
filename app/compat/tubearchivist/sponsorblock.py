"""SponsorBlock segments for a video, fetched from the configured API and cached.

Fetched by the server itself, under the downloads' address policy (``PageFetcher``), at
``YTP_SPONSORBLOCK_URL``; an answer (segments, or none) is kept for an hour in a bounded
cache, so a player asking at every start costs one request an hour per video.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from typing import Any
from urllib.parse import urlencode

from app.definitions.fetching import FetchFailed, PageFetcher
from app.definitions.models import RequestRule

CACHE_SIZE = 1000
CACHE_SECONDS = 3600.0
MAX_BYTES = 1024 * 1024
_REQUEST = RequestRule(timeout=10.0)


class SponsorBlock:
    def __init__(self, base_url: str, fetcher: PageFetcher) -> None:
        self._base = base_url.rstrip("/")
        self._fetcher = fetcher
        self._cache: OrderedDict[str, tuple[float, list[dict[str, Any]]]] = OrderedDict()

    async def segments(self, video_id: str) -> tuple[float, list[dict[str, Any]]]:
        """(when fetched, segments) for a video; a 404 from SponsorBlock is no segments."""
        cached = self._cache.get(video_id)
        if cached is not None and time.time() - cached[0] < CACHE_SECONDS:
            self._cache.move_to_end(video_id)
            return cached
        url = f"{self._base}/api/skipSegments?{urlencode({'videoID': video_id})}"
        try:
            page = await self._fetcher.fetch(url, _REQUEST, MAX_BYTES)
            found = _segments(json.loads(page.text))
        except FetchFailed as failure:
            if "HTTP 404" not in failure.message:
                raise
            found = []
        entry = (time.time(), found)
        self._cache[video_id] = entry
        while len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return entry


def _segments(answer: Any) -> list[dict[str, Any]]:
    if not isinstance(answer, list):
        return []
    return [
        {
            "UUID": s.get("UUID"),
            "segment": s.get("segment"),
            "category": s.get("category"),
            "actionType": s.get("actionType"),
            "votes": s.get("votes", 0),
            "locked": s.get("locked", 0),
            "videoDuration": s.get("videoDuration"),
        }
        for s in answer
        if isinstance(s, dict) and isinstance(s.get("segment"), list)
    ]
