"""Each action publishes its domain event, and clients get the wire events it translates to."""

from __future__ import annotations

from typing import Any

from app import keys
from app.core.events import DomainEvent
from app.core.wire import Event
from app.downloads import events as ev
from app.realtime.wire import to_wire
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, add_settled, call, finished


class DomainLog:
    def __init__(self, client: Client) -> None:
        self.events: list[DomainEvent] = []
        client.app[keys.BUS].subscribe(self.events.append)

    def take(self) -> list[type[DomainEvent]]:
        kinds = [type(e) for e in self.events if not isinstance(e, ev.ItemProgress)]
        self.events.clear()
        return kinds


def shape(event: Event) -> tuple[str, str | None, str | None, Any]:
    return (event.event.value, event.title, event.message, event.data)


async def test_actions_publish_their_events(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    domain = DomainLog(client)
    seen: list[DomainEvent] = []
    client.app[keys.BUS].subscribe(seen.append)
    await call(client, "POST", "/api/system/pause")
    assert domain.take() == [ev.QueuePaused]

    item = await add_one(client, fixture_site.url("/watch/v-basic"))
    assert domain.take() == [ev.ItemAdded]
    [again] = await add_settled(client, {"url": fixture_site.url("/watch/v-basic")})
    assert again["status"] is False
    assert domain.take() == [ev.AddRefused]
    [missing] = await add_settled(client, {"url": fixture_site.url("/watch/does-not-exist")})
    assert missing["status"] is False
    assert domain.take() == [ev.AddFailed]

    uid = item["_id"]
    await call(client, "POST", "/api/history/pause", json={"ids": [uid]})
    assert domain.take() == [ev.ItemPaused]
    await call(client, "POST", "/api/history/start", json={"ids": [uid]})
    assert domain.take() == [ev.ItemResumed]
    await call(client, "POST", f"/api/history/{uid}", json={"title": "Renamed"})
    assert domain.take() == [ev.ItemUpdated]
    await call(client, "POST", "/api/history/cancel", json={"ids": [uid]})
    assert domain.take() == [ev.ItemCancelled]
    await call(client, "DELETE", "/api/history", json={"ids": [uid], "type": "done"})
    assert domain.take() == [ev.ItemDeleted]

    queued = await add_one(client, fixture_site.url("/watch/v-second"))
    await call(client, "DELETE", "/api/history", json={"ids": [queued["_id"]], "type": "queue"})
    assert domain.take() == [ev.ItemAdded, ev.ItemDeleted]

    await call(client, "POST", "/api/system/resume")
    assert domain.take() == [ev.QueueResumed]
    done = await add_one(client, fixture_site.url("/watch/v-third"))
    await finished(events, done["_id"])
    kinds = domain.take()
    assert kinds[:2] == [ev.ItemAdded, ev.ItemStarted]
    assert kinds[-1] == ev.ItemCompleted
    assert set(kinds[2:-1]) <= {ev.ItemUpdated}

    # What clients were sent is exactly the translation of what was published, in order.
    expected = [shape(w) for event in seen for w in to_wire(event)]
    assert [shape(e) for e in events.events] == expected
