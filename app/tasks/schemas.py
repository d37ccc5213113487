"""Shapes of the tasks API's bodies and answers, for its OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.core.openapi import ApiRoute, ErrorAnswer, Message, crud_api, entry_model
from app.tasks.models import TaskFields, TaskModel

TAGS = ("tasks",)
TaskEntry = entry_model(
    "TaskEntry", TaskModel, drop=["cookies"], add={"has_cookies": (bool, False)}
)


class TaskBatchItem(BaseModel):
    """A later task of a multi-task POST: only ``url`` is required, the rest is backfilled."""

    model_config = ConfigDict(extra="allow")

    url: str = Field(min_length=1, max_length=8192)


class InspectRequest(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=8192)
    preset: str = Field(default="default", max_length=255)
    handler: str = Field(default="", max_length=255)
    static_only: bool = False


class InspectAnswer(BaseModel):
    model_config = ConfigDict(extra="allow")

    matched: bool | None = None
    handler: str | None = None
    supported: bool | None = None
    items: list[dict[str, Any]] = Field(default_factory=list)
    metadata: dict[str, Any] = Field(default_factory=dict)


class InspectFailure(BaseModel):
    matched: bool
    handler: str | None
    error: str
    message: str
    metadata: dict[str, Any]


class RunAnswer(BaseModel):
    status: str
    message: str
    found: int
    queued: int


class TaskMetadata(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str | None
    id_type: str | None
    title: str | None
    description: str | None
    uploader: str | None
    tags: list[str]
    year: int | None
    json_file: str
    nfo_file: str
    thumbnails: dict[str, str]


_CRUD = crud_api(
    "/api/tasks", noun="task", fields=TaskFields, record=TaskModel, entry=TaskEntry, tag="tasks"
)
_ONE = "/api/tasks/{id}"
_IDS = {"id": int}
API = (
    _CRUD[0],
    ApiRoute(
        "POST",
        "/api/tasks",
        "Create a task, or several from an array (later ones backfilled from the first)",
        {200: TaskModel | list[TaskModel]},
        body=TaskFields | list[TaskBatchItem],
        tags=TAGS,
    ),
    *_CRUD[2:],
    ApiRoute(
        "POST",
        "/api/tasks/inspect",
        "Which handler takes a URL, and what it would queue (nothing is queued)",
        # A body that does not validate gets the API's usual error; a URL no handler takes,
        # or one that fails to list, gets the seed's inspect failure.
        {200: InspectAnswer, 400: InspectFailure | ErrorAnswer},
        body=InspectRequest,
        tags=TAGS,
    ),
    ApiRoute(
        "POST", f"{_ONE}/run", "Run a task now", {200: RunAnswer}, path_params=_IDS, tags=TAGS
    ),
    ApiRoute(
        "POST",
        f"{_ONE}/mark",
        "Mark every current entry of a task as downloaded in its archive",
        {200: Message},
        path_params=_IDS,
        tags=TAGS,
    ),
    ApiRoute(
        "DELETE",
        f"{_ONE}/mark",
        "Remove every current entry of a task from its archive",
        {200: Message},
        path_params=_IDS,
        tags=TAGS,
    ),
    ApiRoute(
        "POST",
        f"{_ONE}/metadata",
        "Write tvshow.nfo, the channel's .info.json and its artwork in the task's folder",
        {200: TaskMetadata},
        path_params=_IDS,
        tags=TAGS,
    ),
)
