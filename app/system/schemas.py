"""Shapes of the system API's answers, for its OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

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
    ytdlp_version: str


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
