"""``Runs`` by itself: a run abandoned by its last waiter is not handed to the next one."""

from __future__ import annotations

import asyncio

import pytest

from app.player.runs import Runs

TONE = ["-f", "lavfi", "-i", "sine=duration=0.1", "-f", "s16le", "pipe:1"]
A_MINUTE = ["-re", "-f", "lavfi", "-i", "sine=duration=60", "-f", "s16le", "pipe:1"]


async def test_a_request_after_an_abandoned_run_gets_a_run_of_its_own() -> None:
    runs = Runs(max_processes=2, cache_bytes=1 << 20)

    async def minute() -> list[str]:
        return A_MINUTE

    async def tone() -> list[str]:
        return TONE

    first = asyncio.create_task(runs.output("key", minute))
    await asyncio.wait_for(runs.wait_until(lambda s: s.running == 1), 30)
    first.cancel()  # its client left: its ffmpeg is being killed...
    with pytest.raises(asyncio.CancelledError):
        await first
    # ...and the same output asked for meanwhile is made again, not awaited from that run.
    data = await runs.output("key", tone)
    assert len(data) > 0
    assert runs.stats.started == 2 and runs.stats.killed == 1
    await runs.close()
