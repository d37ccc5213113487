"""Shapes of the history API's answers and bodies, for its OpenAPI document.

Answers are built elsewhere (history pages are joined from stored JSON for speed); these
models describe them, and the schemathesis tests check that the answers keep to them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.core.openapi import PageQuery, Pagination
from app.downloads.models import Item

StatusName = Literal[
    "pending",
    "preparing",
    "downloading",
    "postprocessing",
    "finished",
    "error",
    "cancelled",
    "skip",
]


class ItemPage(BaseModel):
    """``type=queue|done``: one page."""

    pagination: Pagination
    items: list[Item]


class QueueAndHistory(BaseModel):
    """``type=all`` (legacy): the queue and every history item, oldest first."""

    queue: list[Item]
    history: list[Item]


class LiveState(BaseModel):
    queue: dict[str, Item]
    history_count: int


class AddAnswer(BaseModel):
    """One element per added URL."""

    status: Literal["queued", False]
    msg: str | None
    item: Item | None


class QuickAddAnswer(BaseModel):
    """The bookmarklet's answer, for errors too."""

    status: bool
    message: str


class QuickAddQuery(BaseModel):
    url: str
    preset: str | SkipJsonSchema[None] = None


class HistoryQuery(PageQuery):
    type: Literal["all", "queue", "done"] = "all"
    order: Literal["DESC", "ASC", "desc", "asc"] = "DESC"
    status: str | SkipJsonSchema[None] = Field(
        default=None, description="A status, or !status to exclude it", examples=["!finished"]
    )


class IdsRequest(BaseModel):
    ids: list[str]


class MoveRequest(BaseModel):
    ids: list[str]
    to: Literal["top", "bottom"]


class DeleteRequest(BaseModel):
    """Either ``ids`` or a ``status`` filter (``finished``, ``!finished``)."""

    type: Literal["queue", "done"]
    ids: list[str] | SkipJsonSchema[None] = None
    status: str | SkipJsonSchema[None] = None
    remove_file: bool = True


ItemOutcomes = dict[str, str]  # id -> "deleted" | "not found" | "started" | ...


class DeletedByStatus(BaseModel):
    items: ItemOutcomes
    deleted: int
