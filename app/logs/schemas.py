"""Shapes of the log API's answers and queries, for its OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel, Field
from pydantic.json_schema import SkipJsonSchema

from app.core.limits import Int64


class LogQuery(BaseModel):
    offset: int | SkipJsonSchema[None] = Field(default=None, ge=0, le=10_000_000)
    limit: int | SkipJsonSchema[None] = Field(default=None, ge=1, le=1_000_000)


class LogEntry(BaseModel):
    """YTPTube's fields (``id``, ``line``, ``datetime``) and the seed's, side by side."""

    id: str
    line: str
    datetime: str | None
    timestamp: str | None
    level: str | None
    message: str


class LogPage(BaseModel):
    logs: list[LogEntry]
    offset: Int64
    limit: int
    next_offset: Int64
    end_is_reached: bool
