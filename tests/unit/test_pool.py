"""Worker processes run one job after another; a stop, a crash or idleness ends them."""

from __future__ import annotations

import asyncio
import os
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pytest

from app.workers.pool import Child, WorkerPool
from app.workers.worker import WORKER_NICE
from tests.conftest import MakePool


def report_pid(job: Any, conn: Connection) -> None:
    conn.send(os.getpid())  # the pool carries any message; these jobs send their pid


def hang(job: Any, conn: Connection) -> None:
    conn.send(os.getpid())
    time.sleep(60)


def crash(job: Any, conn: Connection) -> None:
    os._exit(3)


async def run_job(pool: WorkerPool, target: Any) -> tuple[int | None, int | None]:
    """Runs one job to its end and gives its worker back: (the pid it sent, its end code)."""
    child = await pool.spawn(target, None)
    pids = [pid async for pid in child.messages() if isinstance(pid, int)]
    code = await child.wait()
    pool.release(child)
    return (pids[0] if pids else None), code


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
async def pool(make_pool: MakePool) -> WorkerPool:
    return await make_pool(keep_idle=2)


async def test_a_worker_runs_one_job_after_another(pool: WorkerPool) -> None:
    first, code = await run_job(pool, report_pid)
    second, _ = await run_job(pool, report_pid)
    assert code == 0
    assert first == second
    assert first != os.getpid()
    assert pool.pids() == []  # idle workers are not running anything


async def test_a_stopped_job_takes_its_worker_with_it(pool: WorkerPool) -> None:
    child = await pool.spawn(hang, None)
    pid = await anext(aiter(child.messages()))
    assert isinstance(pid, int)
    assert pool.pids() == [pid]
    await child.stop()
    pool.release(child)
    assert not alive(pid)
    fresh, _ = await run_job(pool, report_pid)
    assert fresh != pid


async def test_a_crash_ends_that_job_only(pool: WorkerPool) -> None:
    sent, code = await run_job(pool, crash)
    assert sent is None
    assert code == 3
    after, code = await run_job(pool, report_pid)
    assert after is not None and code == 0


async def test_an_idle_worker_ends_after_a_while(make_pool: MakePool) -> None:
    pool = await make_pool(idle_seconds=0.05)
    child = await pool.spawn(report_pid, None)
    [pid] = [message async for message in child.messages()]
    assert isinstance(pid, int)
    await child.wait()
    pool.release(child)
    assert await asyncio.wait_for(child.ended(), 10) == 0
    assert not alive(pid)


async def test_a_worker_is_replaced_after_its_last_job(make_pool: MakePool) -> None:
    pool = await make_pool(max_jobs=2)
    pids = [(await run_job(pool, report_pid))[0] for _ in range(3)]
    assert pids[0] == pids[1] != pids[2]
    assert pids[0] is not None and not alive(pids[0])


async def test_only_so_many_workers_wait_idle(make_pool: MakePool) -> None:
    pool = await make_pool(keep_idle=1)
    children = [await pool.spawn(report_pid, None) for _ in range(2)]
    for child in children:
        await child.wait()
        pool.release(child)
    ended = await asyncio.wait(
        [asyncio.ensure_future(c.ended()) for c in children],
        timeout=10,
        return_when=asyncio.FIRST_COMPLETED,
    )
    assert len(ended[0]) == 1


async def test_closing_the_pool_ends_idle_workers(pool: WorkerPool) -> None:
    child: Child = await pool.spawn(report_pid, None)
    [pid] = [message async for message in child.messages()]
    assert isinstance(pid, int)
    await child.wait()
    pool.release(child)
    await pool.close()
    assert not alive(pid)


def report_priority(job: Any, conn: Connection) -> None:
    autogroup = Path("/proc/self/autogroup")
    group = autogroup.read_text() if autogroup.exists() else ""
    conn.send(os.getpriority(os.PRIO_PROCESS, 0))
    conn.send(group)


async def test_a_worker_yields_the_cores_to_the_server(pool: WorkerPool) -> None:
    child = await pool.spawn(report_priority, None)
    nice, group = [message async for message in child.messages()]
    await child.wait()
    pool.release(child)
    server = os.getpriority(os.PRIO_PROCESS, 0)
    # Below the server by WORKER_NICE levels, whatever the server's own (19 at most).
    assert nice == min(19, server + WORKER_NICE)
    assert nice > server or server == 19
    if group:  # autogroup scheduling: the worker's session group is niced as well
        assert str(group).rstrip().endswith(f"nice {nice}")
