"""Parsing of the history API's request bodies and query strings, with the seed's messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

from app.core.errors import InvalidInput, TooLarge
from app.downloads.models import AddRequest, Status, UpdateRequest
from app.downloads.registry import Position
from app.downloads.store import Order, StatusFilter

KNOWN_STATUSES = frozenset(s.value for s in Status)


def parse_add(data: Any, limit: int) -> list[AddRequest]:
    """One item or a list of at most ``limit``; any invalid one refuses the whole request."""
    entries = data if isinstance(data, list) else [data]
    if not entries:
        raise InvalidInput("At least one item is required.")
    check_count(len(entries), limit)
    requests = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise InvalidInput(f"item {index}: must be an object with a 'url'.")
        try:
            requests.append(AddRequest.model_validate(entry))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "item"
            message = first["msg"].removeprefix("Value error, ")
            prefix = f"item {index}: " if len(entries) > 1 else ""
            raise InvalidInput(f"{prefix}{field}: {message}") from None
    return requests


def check_count(count: int, limit: int) -> None:
    if count > limit:
        raise TooLarge(
            f"{count} URLs in one request; at most {limit} are accepted (YTP_MAX_URLS_PER_REQUEST)."
        )


def parse_ids(data: Any) -> list[str]:
    ids = data.get("ids") if isinstance(data, dict) else None
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise InvalidInput("ids is required and must be an array.")
    return ids


def parse_position(data: Any) -> Position:
    """``to`` of a move: where in the queue the items go."""
    to = data.get("to") if isinstance(data, dict) else None
    if to == "top" or to == "bottom":
        return "top" if to == "top" else "bottom"
    raise InvalidInput('to is required and must be "top" or "bottom".')


def parse_status(text: str | None) -> StatusFilter | None:
    if not text:
        return None
    status = StatusFilter.parse(text)
    if status.status not in KNOWN_STATUSES:
        known = ", ".join(sorted(KNOWN_STATUSES))
        raise InvalidInput(f"Unknown status '{status.status}'. Known statuses: {known}.")
    return status


def parse_order(text: str | None) -> Order:
    order = (text or "DESC").upper()
    if order == "ASC":
        return "ASC"
    if order == "DESC":
        return "DESC"
    raise InvalidInput("order must be ASC or DESC.")


def parse_type(text: str | None) -> Literal["all", "queue", "done"]:
    kind = text or "all"
    if kind == "all":
        return "all"
    if kind == "queue":
        return "queue"
    if kind == "done":
        return "done"
    raise InvalidInput("type must be one of all, queue, done.")


@dataclass(frozen=True, slots=True)
class DeleteCommand:
    location: Literal["queue", "done"]
    ids: list[str] | None
    status: StatusFilter | None
    remove_file: bool


def parse_delete(data: Any) -> DeleteCommand:
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    kind = data.get("type")
    if not kind:
        raise InvalidInput("type is required.")
    if kind not in ("queue", "done"):
        raise InvalidInput("type must be 'queue' or 'done'.")
    ids = data.get("ids")
    status = data.get("status")
    if ids is None and not status:
        raise InvalidInput("either 'ids' or 'status' filter is required.")
    if ids is not None:
        ids = parse_ids({"ids": ids})
    elif not isinstance(status, str):
        raise InvalidInput("status must be a string.")
    remove_file = data.get("remove_file", True)
    if not isinstance(remove_file, bool):
        raise InvalidInput("remove_file must be a boolean.")
    return DeleteCommand(
        location=kind,
        ids=ids,
        status=None if ids is not None else parse_status(status),
        remove_file=remove_file,
    )


def parse_update(data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or not data:
        raise InvalidInput("The request body must be a non-empty JSON object.")
    unknown = sorted(set(data) - set(UpdateRequest.model_fields))
    if unknown:
        raise InvalidInput(f"These fields cannot be changed: {', '.join(unknown)}.")
    update = UpdateRequest.model_validate(data)
    return update.model_dump(exclude_unset=True)
