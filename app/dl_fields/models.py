"""Download fields: extra inputs the add form shows, each one yt-dlp long option."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.crud import CrudModel
from app.core.limits import Int64


class DlFieldFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    description: str = ""
    field: str = Field(min_length=3, max_length=100)
    kind: Literal["text", "bool", "select"] = "text"
    order: Int64 = 0
    value: str = ""
    icon: str = ""
    extras: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name", "field", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("field")
    @classmethod
    def _long_option(cls, value: str) -> str:
        if not value.startswith("--") or "=" in value or " " in value:
            raise ValueError("must be one yt-dlp long option, like --proxy")
        return value


class DlFieldModel(DlFieldFields, CrudModel):
    """A download field as every answer and event shows it (it holds no secrets)."""
