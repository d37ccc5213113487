"""The generic yt-dlp handler: any URL yt-dlp knows, listed by flat extraction.

A flat listing reads the channel's or playlist's pages only, never each video's page, so
a run over 5,000 videos costs what the listing costs; what the archive holds is left out
afterwards by archive id ("<extractor key> <id>", as yt-dlp writes it).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from app.tasks.handlers import Entry

# (url, preset) -> the sanitized flat info: InfoService.info without its cache.
Extract = Callable[[str, str], Awaitable[dict[str, Any]]]


class GenericHandler:
    name = "GenericTaskHandler"

    def __init__(self, extract: Extract) -> None:
        self._extract = extract

    def can_handle(self, url: str) -> bool:
        return url.startswith(("http://", "https://"))

    async def entries(self, url: str, *, preset: str, static_only: bool = False) -> list[Entry]:
        if static_only:
            return []
        info = await self._extract(url, preset)
        listed = info.get("entries")
        if not isinstance(listed, list):
            return [_entry(info, url)]
        return [_entry(e, None) for e in listed if isinstance(e, dict) and _url_of(e, None)]


def _url_of(info: dict[str, Any], fallback: str | None) -> str | None:
    for key in ("url", "webpage_url", "original_url"):
        value = info.get(key)
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return value
    return fallback


def _entry(info: dict[str, Any], fallback: str | None) -> Entry:
    video_id = info.get("id")
    key = info.get("ie_key") or info.get("extractor_key")
    archive_id = f"{key.lower()} {video_id}" if key and video_id else None
    return Entry(
        url=_url_of(info, fallback) or "",
        title=info.get("title"),
        id=str(video_id) if video_id is not None else None,
        archive_id=archive_id,
    )
