"""The log as the API sees it: pages of the file, newest first, and the live feed."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from app.core.errors import NotFound
from app.logs.feed import LogFeed
from app.logs.lines import LineFormatter, Redactor, entry
from app.logs.sink import LogSink
from app.logs.tail import files_newest_first, read_page
from app.settings import Settings

LOG_FILE = "tubestash.log"
DEFAULT_LIMIT = 100
MAX_LIMIT = 150


def log_file(settings: Settings) -> Path:
    return settings.config_path / "logs" / LOG_FILE


class LogService:
    def __init__(self, settings: Settings) -> None:
        self._settings = settings
        self._path = log_file(settings)
        self.feed = LogFeed()
        redact = Redactor(settings.auth_username, settings.auth_password)
        self._sink = LogSink(LineFormatter(redact), self.feed, settings.log_level)

    @property
    def enabled(self) -> bool:
        return self._settings.file_logging

    async def open(self) -> None:
        """Starts writing the file and feeding live readers; nothing when file logging is off."""
        if not self.enabled:
            return
        settings = self._settings
        await asyncio.to_thread(
            self._sink.start, self._path, settings.log_file_size, settings.log_file_count
        )
        self.feed.open(asyncio.get_running_loop())
        logging.getLogger().addHandler(self._sink)

    async def close(self) -> None:
        if not self.enabled:
            return
        logging.getLogger().removeHandler(self._sink)
        self.feed.close()
        await asyncio.to_thread(self._sink.stop)

    async def page(self, offset: int, limit: int) -> dict[str, Any]:
        """Entries newest first; the seed's envelope."""
        self._check()
        limit = min(limit, MAX_LIMIT)
        paths = await asyncio.to_thread(
            files_newest_first, self._path, self._settings.log_file_count
        )
        texts, end = await asyncio.to_thread(read_page, paths, offset, limit)
        return {
            "logs": [entry(text) for text in texts],
            "offset": offset,
            "limit": limit,
            "next_offset": offset + len(texts),
            "end_is_reached": end,
        }

    async def check_stream(self) -> None:
        """A live stream needs file logging on and its file there (the seed's 404s)."""
        self._check()
        if not await asyncio.to_thread(self._path.is_file):
            raise NotFound("The log file does not exist.")

    def _check(self) -> None:
        if not self.enabled:
            raise NotFound("File logging is not enabled.")
