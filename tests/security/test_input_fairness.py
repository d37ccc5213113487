"""One large batch cannot starve other requests: probes take turns between requests."""

from __future__ import annotations

import asyncio

from aiohttp import web
from pytest_aiohttp import AiohttpServer

from app import keys
from app.downloads.intake import FairSlots
from tests.conftest import EventLog
from tests.integration.helpers import Client, call, settled


async def test_slots_go_round_robin_between_owners() -> None:
    slots = FairSlots(1)
    order: list[str] = []
    release = asyncio.Event()

    async def probe(owner: str, name: str, hold: bool = False) -> None:
        async with slots.slot(owner):
            order.append(name)
            if hold:
                await release.wait()

    first = asyncio.create_task(probe("batch", "b0", hold=True))
    await asyncio.sleep(0)  # b0 holds the only slot
    tasks = [asyncio.create_task(probe("batch", f"b{n}")) for n in range(1, 6)]
    await asyncio.sleep(0)
    tasks.append(asyncio.create_task(probe("single", "s")))
    tasks.append(asyncio.create_task(probe("other", "o")))
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(first, *tasks)
    assert order == ["b0", "b1", "s", "o", "b2", "b3", "b4", "b5"]


async def test_a_cancelled_waiter_passes_its_turn_on() -> None:
    slots = FairSlots(1)
    order: list[str] = []
    release = asyncio.Event()

    async def probe(owner: str, name: str, hold: bool = False) -> None:
        async with slots.slot(owner):
            order.append(name)
            if hold:
                await release.wait()

    first = asyncio.create_task(probe("a", "a0", hold=True))
    await asyncio.sleep(0)
    doomed = asyncio.create_task(probe("b", "b0"))
    last = asyncio.create_task(probe("c", "c0"))
    await asyncio.sleep(0)
    doomed.cancel()
    release.set()
    await asyncio.gather(first, last)
    assert order == ["a0", "c0"]


class GateSite:
    """Pages that answer (404) only when the test releases them, in the order they came."""

    def __init__(self) -> None:
        self.arrived: asyncio.Queue[str] = asyncio.Queue()
        self._held: dict[str, asyncio.Event] = {}
        self.app = web.Application()
        self.app.router.add_get("/{name}", self._page)

    async def _page(self, request: web.Request) -> web.Response:
        gate = self._held.setdefault(request.path, asyncio.Event())
        self.arrived.put_nowait(request.path)
        await gate.wait()
        raise web.HTTPNotFound()

    def release(self, path: str) -> None:
        self._held.setdefault(path, asyncio.Event()).set()

    def release_all(self) -> None:
        for gate in self._held.values():
            gate.set()


async def test_a_single_add_is_identified_among_the_first_slots(
    client: Client, aiohttp_server: AiohttpServer
) -> None:
    site = GateSite()
    server = await aiohttp_server(site.app)
    batch = [{"url": str(server.make_url(f"/batch-{n}"))} for n in range(40)]
    events = EventLog(client.app[keys.WIRE])
    # Answered once stored (preparing); each URL is identified afterwards.
    batch_answers = await call(client, "POST", "/api/history", json=batch)
    # Both probe slots are taken by the batch before the single add is sent.
    seen = [await site.arrived.get(), await site.arrived.get()]
    single = {"url": str(server.make_url("/single"))}
    [single_answer] = await call(client, "POST", "/api/history", json=single)
    while "/single" not in seen:
        site.release(seen[len(seen) - 2])  # one slot frees at a time
        seen.append(await site.arrived.get())
    site.release_all()
    # With one queue for all, the single add would come after all 40 batch URLs.
    assert seen.index("/single") <= 4, seen
    told = await events.wait_for(settled(single_answer["item"]["_id"]))
    assert told.data["status"] == "error"  # the page is a 404: not queued, told early
    batch_ids = {answer["item"]["_id"] for answer in batch_answers}
    # The batch is still being identified: not every one of its URLs was told yet.
    assert not batch_ids <= {e.data.get("_id") for e in events.events}
    while len(seen) < 41:
        seen.append(await site.arrived.get())
        site.release_all()
    for uid in batch_ids:
        await events.wait_for(settled(uid))
