"""Tasks from start to stop: the service, its handlers, runner and scheduler, built from
the services below them, opened in order and closed in reverse (``server.py`` owns it)."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.archives.service import ArchiveService
from app.core.db import Database
from app.core.errors import InvalidInput
from app.core.events import EventBus
from app.downloads.service import Downloads
from app.presets.service import PresetService
from app.sandbox.network import NetworkPolicy
from app.tasks.feed import FeedHandler
from app.tasks.fetching import Fetcher
from app.tasks.generic import GenericHandler
from app.tasks.handlers import Handlers
from app.tasks.metadata import TaskMetadata
from app.tasks.runner import TaskRunner
from app.tasks.scheduler import Clock, Scheduler
from app.tasks.service import TaskService
from app.tasks.store import RunStore, TaskStore
from app.tasks.tools import TaskTools
from app.workers.pool import WorkerPool
from app.ytdlp.info import InfoService


@dataclass(frozen=True, slots=True)
class Needs:
    db: Database
    bus: EventBus
    pool: WorkerPool
    presets: PresetService
    info: InfoService
    downloads: Downloads
    archives: ArchiveService
    network: NetworkPolicy
    archive_root: Path  # <config>/archives
    download_root: Path
    allow_unsafe: bool


@dataclass(frozen=True, slots=True)
class Tasks:
    service: TaskService
    handlers: Handlers  # task definitions register theirs with register_definition
    tools: TaskTools
    metadata: TaskMetadata
    scheduler: Scheduler


@asynccontextmanager
async def running(needs: Needs, clock: Clock | None = None) -> AsyncIterator[Tasks]:
    info = needs.info

    async def fresh(url: str, preset: str) -> dict[str, Any]:
        return await info.info(url, preset, force=True)  # a task wants today's list

    async def title_of(url: str, preset: str) -> str | None:
        try:
            found = (await info.info(url, preset)).get("title")
        except InvalidInput:
            return None
        return found if isinstance(found, str) and found.strip() else None

    fetcher = Fetcher(needs.pool, needs.network)
    handlers = Handlers([FeedHandler(fetcher.text), GenericHandler(fresh)])
    runner = TaskRunner(
        downloads=needs.downloads,
        handlers=handlers,
        presets=needs.presets,
        archive_ids=info.archive_ids,
        archives=needs.archive_root,
        bus=needs.bus,
    )
    service = TaskService(
        TaskStore(needs.db),
        needs.bus,
        needs.presets,
        allow_unsafe=needs.allow_unsafe,
        title_of=title_of,
    )
    await service.open()
    needs.presets.add_users(service.preset_users)
    scheduler = Scheduler(RunStore(needs.db), runner.run, clock=clock or time.time)
    await scheduler.open()
    service.watch(scheduler.reschedule, scheduler.state)
    metadata = TaskMetadata(fresh, fetcher.save, needs.presets, needs.download_root)
    try:
        yield Tasks(
            service, handlers, TaskTools(runner, scheduler, needs.archives), metadata, scheduler
        )
    finally:
        await scheduler.close()
