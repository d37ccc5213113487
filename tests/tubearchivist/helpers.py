"""Downloads through the layer, awaited on the events (never a sleep)."""

from __future__ import annotations

from typing import Any

from app import keys
from app.core.wire import Event, EventName
from tests.conftest import Client, EventLog
from tests.tubearchivist.client import TaClient


def finished_url(url: str) -> Any:
    def check(event: Event) -> bool:
        return (
            event.event == EventName.ITEM_MOVED
            and event.data["item"]["url"] == url
            and event.data["item"]["status"] == "finished"
        )

    return check


async def ta_download(ta: TaClient, client: Client, events: EventLog, *urls: str) -> None:
    """Adds the URLs as the extension does (autostart) and waits until the library has them."""
    body = {"data": [{"youtube_id": url, "status": "pending"} for url in urls]}
    status, answer = await ta.call("POST", "api/download/?autostart=true", body)
    assert (status, answer) == (200, body)
    for url in urls:
        await events.wait_for(finished_url(url))
    await client.app[keys.LIBRARY].settled()
