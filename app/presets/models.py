"""Presets as clients send and see them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.crud import CrudModel
from app.core.limits import Int64
from app.core.paths import relative_parts
from app.ytdlp.options import check_relative
from app.ytdlp.params import Preset as QueuePreset
from app.ytdlp.params import check_template


class PresetFields(BaseModel):
    """The writable fields; unknown keys (``id``, ``default`` echoed back by a UI) are ignored."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    folder: str = ""
    template: str = ""
    cookies: str = ""
    cli: str = ""
    download_archive: str = ""
    priority: Int64 = 0

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("folder")
    @classmethod
    def _folder(cls, value: str) -> str:
        check_relative(value, "folder")
        relative_parts(value, "folder")
        return value

    @field_validator("template")
    @classmethod
    def _template(cls, value: str) -> str:
        return check_template(value) if value else value

    @field_validator("download_archive")
    @classmethod
    def _archive(cls, value: str) -> str:
        # One file directly under config_path/archives: a plain file name keeps it there,
        # and "." or "a/" would name the folder itself, which yt-dlp cannot open.
        if not value:
            return value
        check_relative(value, "download_archive")
        parts = relative_parts(value, "download_archive")
        if len(parts) != 1 or "/" in value or "\\" in value or value.strip() != value:
            raise ValueError("must be a plain file name, like 'videos.txt'")
        return value


class PresetModel(PresetFields, CrudModel):
    """A preset as GET, POST, PATCH and PUT answer it."""

    default: bool = False
    # Built-in NFO presets write a Kodi NFO beside each file ("tv" or "movie").
    nfo: Literal["", "tv", "movie"] = ""

    def summary(self) -> PresetSummary:
        data = self.model_dump(exclude={"cookies"})
        return PresetSummary.model_construct(**data, has_cookies=bool(self.cookies))

    def for_queue(self) -> QueuePreset:
        return QueuePreset(
            name=self.name,
            folder=self.folder,
            template=self.template,
            cli=self.cli,
            cookies=self.cookies,
            download_archive=self.download_archive,
            nfo=self.nfo,
        )


class PresetSummary(PresetModel):
    """A preset as lists, events and DELETE show it: cookies are a secret, so only whether
    they are set."""

    cookies: str = Field(default="", exclude=True)
    has_cookies: bool = False
