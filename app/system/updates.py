"""Whether newer releases of Tubestash and yt-dlp are on the package index.

The index is PyPI's JSON API (``YTP_UPDATE_INDEX_URL``): ``<index>/<package>/json``. A
check is bounded in time, so a machine without a network gets ``error`` quickly; a
result is kept for a while, so a button pressed repeatedly asks the index once.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import aiohttp
from packaging.version import InvalidVersion, Version

from app.core.errors import InvalidInput
from app.system.versions import PACKAGE, app_version, ytdlp_version

TIMEOUT = aiohttp.ClientTimeout(total=10, connect=5)
CACHE_SECONDS = 600.0


class _Unreachable(Exception):
    """The index did not answer usefully (network, timeout, 5xx, not JSON)."""


class UpdateChecker:
    def __init__(self, index_url: str, *, enabled: bool) -> None:
        self._index = index_url.rstrip("/")
        self.enabled = enabled
        self._last: dict[str, Any] | None = None
        self._checked = 0.0
        self._lock = asyncio.Lock()

    @property
    def new_version(self) -> str | None:
        """The newer Tubestash the last check found, if any."""
        return self._last["new_version"] if self._last else None

    async def check(self, *, force: bool = False) -> dict[str, Any]:
        if not self.enabled:
            raise InvalidInput("Update checking is disabled.")
        async with self._lock:  # callers at the same time share one check
            fresh = time.monotonic() - self._checked < CACHE_SECONDS
            if self._last is not None and fresh and not force:
                return self._last
            result = await self._check()
            if result["status"] != "error":
                self._last, self._checked = result, time.monotonic()
            return result

    async def _check(self) -> dict[str, Any]:
        async with aiohttp.ClientSession(timeout=TIMEOUT) as session:
            own, ytdlp = await asyncio.gather(
                self._component(session, PACKAGE, app_version()),
                self._component(session, "yt-dlp", ytdlp_version()),
            )
        statuses = {own["status"], ytdlp["status"]}
        status = next((s for s in ("error", "update_available") if s in statuses), "up_to_date")
        return {
            "status": status,
            "current_version": own["current_version"],
            "new_version": own["new_version"],
            "yt_dlp": ytdlp,
            "checked_at": datetime.now(UTC).isoformat(),
        }

    async def _component(
        self, session: aiohttp.ClientSession, package: str, current: str
    ) -> dict[str, Any]:
        answer: dict[str, Any] = {
            "status": "error", "current_version": current, "new_version": None, "error": None,
        }  # fmt: skip
        try:
            latest = await self._latest(session, package)
        except _Unreachable as error:
            return {**answer, "error": str(error)}
        if latest is None:
            return {**answer, "status": "unknown"}  # not published on this index
        newer = _newer(latest, current)
        return {
            **answer,
            "status": "update_available" if newer else "up_to_date",
            "new_version": latest if newer else None,
        }

    async def _latest(self, session: aiohttp.ClientSession, package: str) -> str | None:
        url = f"{self._index}/{package}/json"
        try:
            async with session.get(url) as response:
                if response.status == 404:
                    return None
                if response.status != 200:
                    raise _Unreachable(f"the index answered {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise _Unreachable(f"the index could not be reached: {type(error).__name__}") from None
        info = data.get("info") if isinstance(data, dict) else None
        version = info.get("version") if isinstance(info, dict) else None
        if not isinstance(version, str):
            raise _Unreachable("the index's answer has no version")
        return version


def _newer(latest: str, current: str) -> bool:
    try:
        return Version(latest) > Version(current)
    except InvalidVersion:
        return False
