"""The download item and the requests that create or change items."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator


class Status(StrEnum):
    PENDING = "pending"
    PREPARING = "preparing"
    DOWNLOADING = "downloading"
    POSTPROCESSING = "postprocessing"
    FINISHED = "finished"
    ERROR = "error"
    CANCELLED = "cancelled"
    SKIP = "skip"


ACTIVE = frozenset({Status.PREPARING, Status.DOWNLOADING, Status.POSTPROCESSING})
FINAL = frozenset({Status.FINISHED, Status.ERROR, Status.CANCELLED, Status.SKIP})


class Extras(BaseModel):
    # Answers carry every field (defaults included): the OpenAPI document says so.
    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=True)

    duration: float | None = None
    thumbnail: str | None = None
    is_premiere: bool = False
    release_in: str | None = None
    live_in: str | None = None
    channel: str | None = None
    uploader: str | None = None
    playlist: str | None = None
    playlist_id: str | None = None
    playlist_index: int | None = None
    entries_queued: int | None = None
    entries_total: int | None = None


def _new_id() -> str:
    return str(uuid.uuid4())


def _now_ns() -> int:
    return time.time_ns()


class Item(BaseModel):
    """One download. ``_id`` is ours; ``id`` is the video id the extractor gave."""

    model_config = ConfigDict(
        populate_by_name=True,
        validate_assignment=False,
        json_schema_serialization_defaults_required=True,  # answers carry every field
    )

    uid: str = Field(default_factory=_new_id, alias="_id")
    id: str | None = None
    extractor: str | None = None
    url: str
    title: str | None = None
    description: str | None = None
    status: Status | None = None
    preset: str = "default"
    folder: str = ""
    template: str = ""
    cli: str = ""
    auto_start: bool = True
    timestamp: int = Field(default_factory=_now_ns)
    datetime: str = ""
    is_live: bool = False
    live_in: str | None = None
    error: str | None = None
    msg: str | None = None
    percent: float | None = None
    speed: float | None = None
    eta: float | None = None
    downloaded_bytes: int | None = None
    total_bytes: int | None = None
    file_size: int | None = None
    filename: str | None = None
    postprocessor: str | None = None
    is_archivable: bool = False
    is_archived: bool = False
    archive_id: str | None = None
    is_playlist: bool = False
    extras: Extras = Field(default_factory=Extras)
    sidecar: dict[str, Any] = Field(default_factory=dict)
    options: dict[str, Any] = Field(default_factory=dict)
    # Names of the conditions that matched this item when it was added.
    conditions: list[str] = Field(default_factory=list)
    # Never serialised: clients must not see cookies (they are a secret).
    cookies: str = Field(default="", exclude=True)
    # What the download's info said for the library (app/ytdlp/catalog.py): carried by the
    # item's events to the library, never serialised nor stored with the item.
    catalog: dict[str, Any] = Field(default_factory=dict, exclude=True)

    def model_post_init(self, __context: Any) -> None:
        if not self.datetime:
            created = datetime.fromtimestamp(self.timestamp / 1e9, tz=UTC)
            self.datetime = format_datetime(created)
        if self.archive_id is None and self.extractor and self.id:
            self.archive_id = f"{self.extractor.lower()} {self.id}"
            self.is_archivable = True

    def public(self) -> dict[str, Any]:
        """The item as clients see it (never the cookies)."""
        return self.model_dump(by_alias=True, mode="json")

    def public_json(self) -> str:
        return self.model_dump_json(by_alias=True)

    @property
    def identity(self) -> tuple[str, str] | None:
        """Extractor and video id: the same video added twice has the same identity."""
        if self.extractor and self.id:
            return (self.extractor.lower(), self.id)
        return None

    @property
    def label(self) -> str:
        return self.title or self.url


class AddRequest(BaseModel):
    """One entry of ``POST /api/history`` (also the quick add and ``add_url``)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=8192)
    preset: str = Field(default="default", max_length=255)
    folder: str = Field(default="", max_length=1024)
    cookies: str = Field(default="", max_length=1024 * 1024)
    template: str = Field(default="", max_length=1024)
    cli: str = Field(default="", max_length=16384)
    auto_start: bool = True
    # False submits the item without evaluating conditions on it.
    conditions: bool = True
    # True downloads a video again that history holds as finished (else it is a skip).
    force: bool = False

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_web_url(value)

    @field_validator("preset")
    @classmethod
    def _default_preset(cls, value: str) -> str:
        return value or "default"


def check_web_url(value: str) -> str:
    # A URL is never read as an option, and only web URLs are fetched.
    if value.startswith("-"):
        raise ValueError("a URL cannot start with '-'")
    lowered = value.lower()
    if not lowered.startswith(("http://", "https://")) or len(value) <= len("https://"):
        raise ValueError("only http(s) URLs are accepted")
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("a URL cannot contain spaces or control characters")
    return value


# Changing one of these changes what an item downloads: the change is checked like an add.
DOWNLOAD_FIELDS = frozenset({"url", "preset", "folder", "template", "cli"})


class UpdateRequest(BaseModel):
    """Fields of an item a client may change with ``POST /api/history/{id}``.

    Only ``title`` and ``description`` may be null; every field has an add's bounds.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str | None = Field(default=None, max_length=4096)
    description: str | None = Field(default=None, max_length=64 * 1024)
    preset: str = Field(default="default", min_length=1, max_length=255)
    folder: str = Field(default="", max_length=1024)
    template: str = Field(default="", max_length=1024)
    cli: str = Field(default="", max_length=16384)
    auto_start: bool = True
    url: str = Field(default="", min_length=1, max_length=8192)

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        return check_web_url(value)


@dataclass(slots=True)
class AddResult:
    status: str | bool  # "queued" or False
    msg: str | None
    item: Item | None

    def public(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "msg": self.msg,
            "item": self.item.public() if self.item else None,
        }
