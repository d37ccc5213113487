"""Small helpers for API tests: calls that assert their status and return JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

from app import keys
from app.core.wire import Event, EventName
from tests.conftest import EventLog

Client = TestClient[web.Request, web.Application]


async def call(client: Client, method: str, path: str, status: int = 200, **kwargs: Any) -> Any:
    response = await client.request(method, path, **kwargs)
    text = await response.text()
    assert response.status == status, f"{method} {path}: {response.status} {text}"
    if response.content_type == "application/json" and text:
        return await response.json()
    return text


async def add(client: Client, body: Any) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = await call(client, "POST", "/api/history", json=body)
    return result


def settled(uid: str) -> Callable[[Event], bool]:
    """The event that tells what an answered ``preparing`` item turned out to be."""

    def check(event: Event) -> bool:
        data = event.data
        if not isinstance(data, dict) or data.get("_id") != uid:
            return False
        return (
            event.event == EventName.ITEM_ADDED
            or (event.event == EventName.ITEM_STATUS and data.get("status") == "error")
            or (event.event == EventName.ITEM_MOVED and data.get("to") == "history")
        )

    return check


async def add_settled(client: Client, body: Any) -> list[dict[str, Any]]:
    """``POST /api/history``, then what each URL turned out to be, from the live events, in
    the answer's shape: queued with the identified item, or ``false`` with the reason.

    The answer itself comes once the items are stored (``preparing``), before they are
    identified."""
    log = EventLog(client.app[keys.WIRE])
    try:
        outcomes = []
        for answer in await add(client, body):
            if answer["status"] != "queued":
                outcomes.append(answer)
                continue
            assert answer["item"]["status"] == "preparing", answer
            event = await log.wait_for(settled(answer["item"]["_id"]))
            if event.event == EventName.ITEM_ADDED:
                outcomes.append({"status": "queued", "msg": None, "item": event.data})
            elif event.event == EventName.ITEM_STATUS:
                outcomes.append({"status": False, "msg": event.data["msg"], "item": None})
            else:
                item = event.data["item"]
                outcomes.append({"status": False, "msg": item["msg"], "item": item})
        return outcomes
    finally:
        log.close()


async def add_one(client: Client, url: str, **fields: Any) -> dict[str, Any]:
    """Adds one URL and answers its item once identified and queued."""
    [result] = await add_settled(client, {"url": url, **fields})
    assert result["status"] == "queued", result
    item: dict[str, Any] = result["item"]
    return item


def moved_to_history(uid: str) -> Callable[[Event], bool]:
    def check(event: Event) -> bool:
        return event.event == EventName.ITEM_MOVED and event.data["item"]["_id"] == uid

    return check


def status_is(uid: str, status: str) -> Callable[[Event], bool]:
    def check(event: Event) -> bool:
        return (event.item_id == uid and event.data.get("status", None) == status) or (
            event.event == EventName.ITEM_MOVED
            and event.data["item"]["_id"] == uid
            and event.data["item"]["status"] == status
        )

    return check


async def finished(events: EventLog, uid: str) -> dict[str, Any]:
    event = await events.wait_for(moved_to_history(uid))
    item: dict[str, Any] = event.data["item"]
    return item


def has_bytes(uid: str) -> Callable[[Event], bool]:
    """Progress with bytes on disk (the first "downloading" hook comes before any write)."""

    def check(event: Event) -> bool:
        return (
            event.event == EventName.ITEM_UPDATED
            and event.item_id == uid
            and (event.data.get("downloaded_bytes") or 0) > 0
        )

    return check
