"""Commands that clients send over ``/ws`` and socket.io: the same services the HTTP API uses.

Each command answers its sender only when something went wrong (``log_error``, or
``item_status`` with ``status: "error"`` for a refused add); what succeeds is published by
the downloads on the bus, so every client sees it the same way.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from pydantic import ValidationError

from app.core.errors import AppError, InvalidInput
from app.core.web import describe_validation
from app.core.wire import Event, EventName
from app.downloads.requests import parse_add, parse_position
from app.downloads.service import Downloads
from app.realtime.hub import error_event

NAMES = (
    "add_url",
    "item_cancel",
    "item_delete",
    "item_start",
    "item_pause",
    "item_start_now",
    "item_move",
)
ECHO_LIMIT = 80  # characters of client input repeated in an error message


def _short(value: str) -> str:
    return value if len(value) <= ECHO_LIMIT else value[:ECHO_LIMIT] + "..."


def _ids(data: Any, command: str) -> list[str]:
    """One id or a list of ids (the seed allows both)."""
    if isinstance(data, str) and data:
        return [data]
    if isinstance(data, list) and data and all(isinstance(i, str) and i for i in data):
        return data
    raise InvalidInput(f"{command} needs an item id or a list of item ids.")


def _not_found(result: dict[str, str], title: str) -> list[Event]:
    missing = [uid for uid, status in result.items() if status == "not found"]
    return [error_event(f"Item '{_short(uid)}' was not found.", title) for uid in missing]


class ClientEvents:
    def __init__(self, downloads: Callable[[], Downloads]) -> None:
        # Looked up per command: the facade is built when the app starts, after routes.
        self._downloads = downloads
        self._handlers: dict[str, Callable[[Any], Awaitable[list[Event]]]] = {
            "add_url": self.add_url,
            "item_cancel": self.item_cancel,
            "item_delete": self.item_delete,
            "item_start": self.item_start,
            "item_pause": self.item_pause,
            "item_start_now": self.item_start_now,
            "item_move": self.item_move,
        }

    async def handle(self, name: str, data: Any) -> list[Event]:
        handler = self._handlers.get(name)
        if handler is None:
            return [error_event(f"Unknown event '{_short(name)}'.")]
        try:
            return await handler(data)
        except ValidationError as exc:
            return [error_event(describe_validation(exc))]
        except AppError as exc:
            return [error_event(exc.message)]

    async def add_url(self, data: Any) -> list[Event]:
        if data is None or isinstance(data, str):
            data = {"url": data}
        if not isinstance(data, dict):
            return [error_event("The add_url data must be an object with a url.")]
        url = data.get("url")
        if not isinstance(url, str) or not url.strip():
            return [error_event("No URL provided.")]
        preset = data.get("preset")
        if not isinstance(preset, str) or not preset:
            preset = "default"
        try:
            [request] = parse_add(data, limit=1)  # one URL per add_url frame
            [result] = await self._downloads().add([request])
        except AppError as exc:
            return [_refused(exc.message, preset)]
        if result.status is False:
            return [_refused(result.msg or "The URL was not added.", preset)]
        return []  # the queue published item_added and item_status for everyone

    async def item_cancel(self, data: Any) -> list[Event]:
        result = await self._downloads().cancel(_ids(data, "item_cancel"))
        return _not_found(result, "Cancel failed")

    async def item_delete(self, data: Any) -> list[Event]:
        if isinstance(data, str):
            data = {"id": data}
        if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
            raise InvalidInput('item_delete needs {"id": "<item id>", "remove_file": bool}.')
        remove_file = data.get("remove_file", False)
        if not isinstance(remove_file, bool):
            raise InvalidInput("remove_file must be a boolean.")
        result = await self._downloads().delete([data["id"]], remove_file=remove_file)
        return _not_found(result, "Delete failed")

    async def item_start(self, data: Any) -> list[Event]:
        result = await self._downloads().start(_ids(data, "item_start"))
        return _not_found(result, "Start failed")

    async def item_pause(self, data: Any) -> list[Event]:
        result = await self._downloads().pause(_ids(data, "item_pause"))
        return _not_found(result, "Pause failed")

    async def item_start_now(self, data: Any) -> list[Event]:
        result = await self._downloads().start_now(_ids(data, "item_start_now"))
        return _not_found(result, "Start failed")

    async def item_move(self, data: Any) -> list[Event]:
        """``{"ids": id or [ids], "to": "top" | "bottom"}``."""
        if not isinstance(data, dict):
            raise InvalidInput('item_move needs {"ids": [...], "to": "top" | "bottom"}.')
        ids = _ids(data.get("ids", data.get("id")), "item_move")
        result = await self._downloads().move(ids, parse_position(data))
        return _not_found(result, "Move failed")


def _refused(message: str, preset: str) -> Event:
    return Event(
        EventName.ITEM_STATUS,
        {"status": "error", "preset": preset, "msg": message},
        title="Add failed",
        message=message,
    )
