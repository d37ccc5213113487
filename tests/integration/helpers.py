"""Small helpers for API tests: calls that assert their status and return JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient

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


async def add_one(client: Client, url: str, **fields: Any) -> dict[str, Any]:
    [result] = await add(client, {"url": url, **fields})
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
