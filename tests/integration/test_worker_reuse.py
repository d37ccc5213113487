"""Download jobs in reused workers: a failure leaves the worker ready for the next job."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.workers.messages import Failed, Finished
from app.workers.pool import WorkerPool
from app.ytdlp.jobs import DownloadJob, download
from app.ytdlp.params import build_params, placement
from tests.conftest import MakePool
from tests.fixtures.site import FixtureSite


@pytest.fixture
async def pool(make_pool: MakePool) -> WorkerPool:
    return await make_pool(keep_idle=1)


def job(url: str, root: Path, temp: Path) -> DownloadJob:
    params = build_params(
        placement=placement(root, "", ""),
        temp_dir=temp,
        preset_cli="",
        item_cli="",
        allow_unsafe=False,
        archives=temp,
    )
    return DownloadJob(url=url, params=params, root=str(root))


async def run(pool: WorkerPool, work: DownloadJob) -> tuple[int | None, list[object]]:
    child = await pool.spawn(download, work)
    messages = [message async for message in child.messages()]
    assert await child.wait() == 0
    pool.release(child)
    return child.pid, messages


async def test_a_failed_download_leaves_its_worker_ready(
    pool: WorkerPool, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    root, temp = tmp_path / "downloads", tmp_path / "tmp"
    root.mkdir()
    failed_pid, failed = await run(pool, job(fixture_site.url("/watch/v-basic?fail=1"), root, temp))
    assert isinstance(failed[-1], Failed)
    pid, done = await run(pool, job(fixture_site.url("/watch/v-second"), root, temp))
    assert pid == failed_pid
    finished = done[-1]
    assert isinstance(finished, Finished)
    assert Path(finished.filepath).parent == root
    assert Path(finished.filepath).stat().st_size == finished.size > 0
