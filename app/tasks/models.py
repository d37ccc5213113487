"""Scheduled tasks as clients send and see them."""

from __future__ import annotations

from typing import Any

from croniter import croniter
from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.crud import CrudModel
from app.core.paths import relative_parts
from app.downloads.models import check_web_url
from app.ytdlp.options import check_relative
from app.ytdlp.params import check_template


def check_timer(value: str) -> str:
    """A cron expression (five fields, or six with seconds last), or "" for never by itself."""
    value = " ".join(value.split())
    if value and (len(value.split()) not in (5, 6) or not croniter.is_valid(value)):
        raise ValueError(f"{value!r} is not a cron expression, like '0 */6 * * *'")
    return value


class TaskFields(BaseModel):
    """The writable fields; unknown keys (``id``, run state echoed back by a UI) are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=255)
    url: str = Field(min_length=1, max_length=8192)
    timer: str = Field(default="", max_length=255)
    cookies: str = Field(default="", max_length=1024 * 1024)
    config: dict[str, Any] = Field(default_factory=dict)
    template: str = Field(default="", max_length=1024)
    folder: str = Field(default="", max_length=1024)
    preset: str = Field(default="default", max_length=255)
    cli: str = Field(default="", max_length=16384)
    auto_start: bool = True
    # False: no handler; a run queues the task's URL as a plain add.
    handler_enabled: bool = True
    # A handler's name to use instead of the first whose can_handle says yes.
    handler: str = Field(default="", max_length=255)
    enabled: bool = True

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return check_web_url(value)

    @field_validator("timer")
    @classmethod
    def _timer(cls, value: str) -> str:
        return check_timer(value)

    @field_validator("preset")
    @classmethod
    def _preset(cls, value: str) -> str:
        return value or "default"

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


class TaskRun(BaseModel):
    """What the scheduler knows: when the task runs next and how its last run went."""

    next_run: float | None = None  # epoch seconds; None: no timer, or disabled
    last_run: float | None = None
    last_status: str = ""  # "ok", "error", "" (never ran)
    last_message: str = ""
    last_queued: int = 0
    running: bool = False


class TaskModel(TaskFields, CrudModel):
    """A task as GET, POST, PATCH and PUT answer it."""

    run: TaskRun = Field(default_factory=TaskRun)

    def summary(self) -> TaskSummary:
        data = self.model_dump(exclude={"cookies"})
        return TaskSummary.model_validate({**data, "has_cookies": bool(self.cookies)})


class TaskSummary(TaskModel):
    """A task as lists, events and DELETE show it: cookies are a secret."""

    cookies: str = Field(default="", exclude=True)
    has_cookies: bool = False
