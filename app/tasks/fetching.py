"""Plain HTTP fetches for the feed handler and the artwork, each run in a worker."""

from __future__ import annotations

import base64
from pathlib import Path

from app.core.errors import InvalidInput
from app.sandbox.network import NetworkPolicy
from app.workers.messages import Extracted, Failed
from app.workers.pool import WorkerPool
from app.ytdlp.extract import run_child
from app.ytdlp.fetch import FetchJob, fetch_child


class Fetcher:
    def __init__(self, pool: WorkerPool, network: NetworkPolicy) -> None:
        self._pool = pool
        self._network = network

    async def text(self, url: str) -> bytes:
        answer = await self._get(FetchJob(url))
        return base64.b64decode(str(answer["body"]))

    async def save(self, url: str, path: Path) -> None:
        await self._get(FetchJob(url, save_to=str(path)))

    async def _get(self, job: FetchJob) -> dict[str, object]:
        self._network.check_url(job.url)
        match await run_child(self._pool, fetch_child, job):
            case Extracted(info):
                return info
            case Failed(message):
                raise InvalidInput(f"Failed to fetch {job.url}: {message}")
            case other:
                raise InvalidInput(f"Failed to fetch {job.url}: {other}")
