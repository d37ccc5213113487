"""Runs one download in a child process and turns its messages into item changes."""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from app.core.paths import relative_to_root
from app.downloads.models import Item, Status
from app.workers.messages import (
    Cancelled,
    Failed,
    Finished,
    Go,
    Postprocessing,
    Progress,
    Skipped,
    Summary,
    Warned,
)
from app.workers.pool import Child, WorkerPool
from app.ytdlp.jobs import DownloadJob, download


class StopReason(StrEnum):
    CANCEL = "cancel"  # the user cancelled: the partial file goes
    PAUSE = "pause"  # the user paused: the partial file stays for a resume
    SHUTDOWN = "shutdown"  # the server stops: the item resumes at the next start
    DELETE = "delete"  # the item is being deleted: nothing of it stays


@dataclass(slots=True)
class Outcome:
    status: Status | None  # None: stopped, the item stays in the queue
    error: str | None = None
    reason: StopReason | None = None
    transient: bool = False  # an error that may pass by itself: worth another try


# Called with the item after each change; ``persist`` is True for status changes.
OnChange = Callable[[Item, bool], Awaitable[None]]


class RunningDownload:
    """A download in flight; the queue keeps one per running item to stop it."""

    def __init__(self, item: Item) -> None:
        self.item = item
        self.child: Child | None = None
        self.stop_reason: StopReason | None = None
        self._stop_requested = asyncio.Event()
        # Set once the queue has recorded the outcome, so a command can await its effect.
        self.settled = asyncio.Event()

    async def stop(self, reason: StopReason) -> None:
        """Stops the child and waits until the queue has recorded the outcome."""
        self.stop_reason = self.stop_reason or reason
        self._stop_requested.set()
        if self.child is not None:
            await self.child.stop()
        await self.settled.wait()

    def stopping(self) -> bool:
        return self._stop_requested.is_set()


class DownloadRunner:
    def __init__(self, pool: WorkerPool, download_path: Path, temp_path: Path) -> None:
        self._pool = pool
        self._download_path = download_path
        self._temp_path = temp_path

    def temp_dir(self, item: Item) -> Path:
        return self._temp_path / item.uid

    def job_for(self, item: Item, params: dict[str, Any], root: Path) -> DownloadJob:
        cookie_file = self.temp_dir(item) / ".cookies.txt"
        return DownloadJob(
            url=item.url,
            params=params,
            root=str(root),
            cookies=item.cookies,
            cookie_file=str(cookie_file) if item.cookies else "",
        )

    async def discard_temp(self, item: Item) -> None:
        await asyncio.to_thread(shutil.rmtree, self.temp_dir(item), True)

    async def run(
        self,
        running: RunningDownload,
        params: dict[str, Any],
        root: Path,
        on_change: OnChange,
        warm: Child | None = None,
    ) -> Outcome:
        """Runs the download; ``warm`` is a probe child that already extracted the item."""
        item = running.item
        await asyncio.to_thread(self.temp_dir(item).mkdir, parents=True, exist_ok=True)
        if running.stopping():
            return Outcome(None, reason=running.stop_reason)
        if warm is not None:
            warm.send(Go())
            child = warm
        else:
            child = await self._pool.spawn(download, self.job_for(item, params, root))
        running.child = child
        if running.stopping():  # stopped while the child was being forked
            await child.stop()
        try:
            outcome = await self._follow(child, item, on_change)
            await child.wait()
        finally:
            if running.stopping():
                await child.stop()
            # Forgotten before the worker goes back to the pool: a late stop must not
            # reach whatever job the worker runs next.
            running.child = None
            self._pool.release(child)
        if running.stopping():
            return Outcome(None, reason=running.stop_reason)
        # A transient error's partial file stays for a retry; the queue decides (settle).
        if outcome.status in (Status.FINISHED, Status.ERROR, Status.SKIP) and not outcome.transient:
            await self.discard_temp(item)
        return outcome

    async def _follow(self, child: Child, item: Item, on_change: OnChange) -> Outcome:
        outcome = Outcome(Status.ERROR, error="the download process ended unexpectedly")
        async for message in child.messages():
            match message:
                case Progress() as progress:
                    await self._progress(item, progress, on_change)
                case Postprocessing(postprocessor):
                    changed = item.status != Status.POSTPROCESSING
                    item.status = Status.POSTPROCESSING
                    item.postprocessor = postprocessor
                    await on_change(item, changed)
                case Warned(text):
                    item.msg = text
                case Summary(info):
                    _apply_info(item, info)
                case Finished(filepath, size, archived):
                    item.filename = relative_to_root(self._download_path, Path(filepath))
                    item.file_size = size
                    item.is_archived = item.is_archived or archived
                    item.percent = 100.0
                    outcome = Outcome(Status.FINISHED)
                case Failed(error, transient):
                    outcome = Outcome(Status.ERROR, error=error, transient=transient)
                case Cancelled():
                    outcome = Outcome(Status.CANCELLED)
                case Skipped(text):
                    item.msg = text
                    outcome = Outcome(Status.SKIP)
        return outcome

    async def _progress(self, item: Item, progress: Progress, on_change: OnChange) -> None:
        status = Status.DOWNLOADING if progress.status == "downloading" else item.status
        changed = status != item.status
        item.status = status
        if progress.downloaded_bytes is not None:
            item.downloaded_bytes = progress.downloaded_bytes
        if progress.total_bytes is not None:
            item.total_bytes = progress.total_bytes
        if progress.speed is not None:
            item.speed = progress.speed
        if progress.eta is not None:
            item.eta = progress.eta
        if progress.percent is not None:
            item.percent = progress.percent
        await on_change(item, changed)


def _apply_info(item: Item, info: dict[str, Any]) -> None:
    item.title = info.get("title") or item.title
    with contextlib.suppress(TypeError, ValueError):
        if info.get("duration") is not None:
            item.extras.duration = float(info["duration"])
    item.extras.thumbnail = info.get("thumbnail") or item.extras.thumbnail
    if isinstance(info.get("catalog"), dict):
        item.catalog = info["catalog"]
