"""Shapes of the yt-dlp tools' answers and bodies, for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema


class ConvertRequest(BaseModel):
    args: str


class Converted(BaseModel):
    opts: dict[str, Any]
    output_template: str | None
    download_path: str | None
    removed_options: list[str] | SkipJsonSchema[None] = Field(
        default=None, description="Only when terminal-only options were dropped"
    )


class OptionInfo(BaseModel):
    flags: list[str]
    description: str
    group: str


class UrlInfoQuery(BaseModel):
    url: str
    preset: str | SkipJsonSchema[None] = None
    args: str | SkipJsonSchema[None] = None
    force: bool | SkipJsonSchema[None] = None


class CacheState(BaseModel):
    status: str
    preset: str
    cli_args: str
    key: str
    ttl: int
    ttl_left: float
    expires: float


class UrlInfo(BaseModel):
    """yt-dlp's sanitized info, plus how the cache answered."""

    model_config = ConfigDict(extra="allow")

    cached: CacheState = Field(alias="_cached")


class ArchiveIdAnswer(BaseModel):
    index: int
    url: Any
    id: str | None
    ie_key: str | None
    archive_id: str | None
    error: str | None


class CommandAnswer(BaseModel):
    command: str
