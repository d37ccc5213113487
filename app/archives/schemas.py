"""Shapes of the archive API's answers and bodies, for its OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema


class ArchiveQuery(BaseModel):
    preset: str
    ids: str | SkipJsonSchema[None] = None  # comma-separated archive ids to look for


class ArchiveContents(BaseModel):
    file: str
    items: list[str]
    count: int


class ArchiveChangeRequest(BaseModel):
    preset: str
    items: list[str]  # "<extractor> <id>"
    skip_check: bool = False


class ArchiveChange(BaseModel):
    file: str
    status: Literal[True]
    items: list[str]
