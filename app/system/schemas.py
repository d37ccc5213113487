"""Shapes of the system API's answers, for its OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from app.dl_fields.models import DlFieldModel
from app.downloads.models import Item
from app.presets.schemas import PresetEntry


class Pong(BaseModel):
    status: Literal["pong"]


class PublicSettings(BaseModel):
    """The settings clients may see: never credentials."""

    download_path: str
    base_path: str
    default_pagination: int
    max_workers: int
    max_workers_per_extractor: int
    default_preset: str
    console_enabled: bool
    browser_enabled: bool
    browser_control_enabled: bool
    remove_files: bool
    max_playlist_items: int
    auth_enabled: bool
    app_version: str
    version: str
    ytdlp_version: str
    started: float  # epoch seconds
    is_native: bool
    file_logging: bool
    check_for_updates: bool
    new_version: str | None
    output_template: str
    instance_title: str | None
    ui_update_title: bool
    simple_mode: bool
    keep_archive: bool
    tasks_handler_timer: str
    dev_mode: bool


class Folder(BaseModel):
    name: str
    path: str


class Configuration(BaseModel):
    """Everything the UI needs at start."""

    app: PublicSettings
    presets: list[PresetEntry]  # type: ignore[valid-type]
    dl_fields: list[DlFieldModel]
    paused: bool
    folders: list[Folder]
    history_count: int
    queue: dict[str, Item]


UpdateStatus = Literal["up_to_date", "update_available", "error", "unknown"]


class ComponentUpdate(BaseModel):
    status: UpdateStatus  # unknown: the package is not on that index
    current_version: str
    new_version: str | None
    error: str | None


class UpdateCheck(BaseModel):
    """The seed's answer (about Tubestash) and yt-dlp's beside it."""

    status: UpdateStatus
    current_version: str
    new_version: str | None
    yt_dlp: ComponentUpdate
    checked_at: str


class ConsoleRequest(BaseModel):
    command: str = Field(max_length=16384)


class LoopTask(BaseModel):
    task: str
    stack: list[str]


class LoopReport(BaseModel):
    total_tasks: int
    loop: str
    tasks: list[LoopTask]


PipVersions = dict[str, Any]
