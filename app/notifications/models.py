"""Notification targets: which events and presets a target hears, and where it sends them.

``request.url`` decides how: an ``http(s)`` URL is a webhook this server calls itself;
any other scheme (``discord://``, ``tgram://``, ``mailto://``, ``json://``...) is handed to
apprise, which documents them. Headers and URLs may hold secrets: they are stored and
answered whole (the seed lists them), but never logged.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.crud import CrudModel
from app.notifications.events import NotificationName

_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://\S")
WEBHOOK_SCHEMES = ("http", "https")


class RequestHeader(BaseModel):
    model_config = ConfigDict(extra="ignore")

    key: str = Field(min_length=1, max_length=256, pattern=r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
    value: str = Field(default="", max_length=8192)

    @field_validator("value")
    @classmethod
    def _one_line(cls, value: str) -> str:
        if "\r" in value or "\n" in value:
            raise ValueError("a header value is one line")
        return value


class NotificationRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    type: Literal["json", "form"] = "json"
    method: Literal["POST", "PUT"] = "POST"
    url: str = Field(min_length=1, max_length=8192)
    data_key: str = Field(default="data", min_length=1, max_length=100)
    headers: list[RequestHeader] = Field(default_factory=list, max_length=50)

    @field_validator("type", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @field_validator("method", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.strip().upper() if isinstance(value, str) else value

    @field_validator("url", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("url")
    @classmethod
    def _has_scheme(cls, value: str) -> str:
        if not _SCHEME.match(value):
            raise ValueError("must be a URL: http(s):// for a webhook, or an apprise URL")
        return value

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0].lower()

    @property
    def is_webhook(self) -> bool:
        return self.scheme in WEBHOOK_SCHEMES


class NotificationFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    on: list[NotificationName] = Field(
        default_factory=list, max_length=50, description="Events to send; empty: all"
    )
    presets: list[str] = Field(
        default_factory=list, max_length=200, description="Presets to send for; empty: all"
    )
    enabled: bool = True
    request: NotificationRequest

    @field_validator("name", mode="before")
    @classmethod
    def _strip_name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("on", "presets")
    @classmethod
    def _unique(cls, values: list[str]) -> list[str]:
        return list(dict.fromkeys(values))


class NotificationModel(NotificationFields, CrudModel):
    """A target as every answer shows it; the seed's lists show headers too."""

    def wants(self, name: NotificationName, preset: str | None) -> bool:
        """Whether this target sends a notice named ``name`` about ``preset``."""
        if not self.enabled or (self.on and name not in self.on):
            return False
        return not self.presets or preset is None or preset in self.presets
