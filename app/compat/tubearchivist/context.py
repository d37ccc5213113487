"""What the TubeArchivist handlers need, in one object the server builds.

The compatibility layers sit below ``app.keys``: the server puts this context in the
native app under ``CONTEXT`` (re-exported as ``keys.TUBEARCHIVIST``), and both
mountings read it with ``request.config_dict[CONTEXT]``.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from app.access.service import Access
from app.compat.tubearchivist.cookie import CookieJar
from app.compat.tubearchivist.ignored import IgnoreList
from app.compat.tubearchivist.snapshots import Snapshots
from app.compat.tubearchivist.sponsorblock import SponsorBlock
from app.compat.tubearchivist.tokens import Tokens
from app.downloads.service import Downloads
from app.library.indexing import HistoryIndexer
from app.library.refresh import Refresher
from app.library.service import Library
from app.settings import Settings
from app.tasks.service import TaskService
from app.tasks.tools import TaskTools

log = logging.getLogger(__name__)


class Background:
    """The layer's background jobs (a rescan it started): kept, and cancelled at the end."""

    def __init__(self) -> None:
        self._jobs: set[asyncio.Task[Any]] = set()

    def spawn(self, work: Coroutine[Any, Any, Any], name: str) -> None:
        job = asyncio.create_task(work, name=name)
        self._jobs.add(job)
        job.add_done_callback(self._finished)

    def _finished(self, job: asyncio.Task[Any]) -> None:
        self._jobs.discard(job)
        if not job.cancelled() and job.exception() is not None:
            log.error("%s failed", job.get_name(), exc_info=job.exception())

    @property
    def running(self) -> set[str]:
        return {job.get_name() for job in self._jobs}

    async def close(self) -> None:
        for job in list(self._jobs):
            job.cancel()
        await asyncio.gather(*self._jobs, return_exceptions=True)


@dataclass(frozen=True, slots=True)
class Context:
    settings: Settings
    tokens: Tokens
    access: Access  # API keys are tokens too
    library: Library
    indexer: HistoryIndexer
    refresher: Refresher
    downloads: Downloads
    tasks: TaskService
    task_tools: TaskTools
    snapshots: Snapshots
    cookie: CookieJar
    ignored: IgnoreList
    sponsorblock: SponsorBlock
    jobs: Background


CONTEXT = web.AppKey("tubearchivist", Context)


def context(request: web.Request) -> Context:
    return request.config_dict[CONTEXT]
