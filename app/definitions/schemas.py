"""The task definitions API, for its OpenAPI document and the inspect route's bodies."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic.json_schema import SkipJsonSchema

from app.core.openapi import ApiRoute, PageQuery, crud_api, entry_model, page_model
from app.definitions.models import Definition, DefinitionFields, DefinitionModel

PATH = "/api/tasks/definitions/"
TAG = "task_definitions"

_SKIPPED: Any = SkipJsonSchema  # subscripted at run time, which mypy cannot follow

# Lists show a definition's rules only when asked (?include=definition).
DefinitionEntry = entry_model(
    "DefinitionEntry",
    DefinitionModel,
    drop=["definition"],
    add={"definition": (Definition | _SKIPPED[None], None)},
)


class DefinitionListQuery(PageQuery):
    model_config = ConfigDict(extra="forbid")

    include: Literal["definition"] | SkipJsonSchema[None] = None


class DefinitionInspectBody(BaseModel):
    """A URL to read with a definition: the one given (an unsaved editor's), the stored
    one with ``id``, or else the first enabled stored one whose pattern matches."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000)
    id: int | SkipJsonSchema[None] = Field(default=None, ge=1, le=2**63 - 1)
    definition: Definition | SkipJsonSchema[None] = None

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        url = url.strip()
        if not url.lower().startswith(("http://", "https://")):
            raise ValueError("must be an http or https URL")
        return url


class DefinitionInspectItem(BaseModel):
    url: str
    title: str | None = None
    id: str | None = None
    archive_id: str | None = None


class DefinitionInspectMetadata(BaseModel):
    raw_count: int
    page_url: str


class DefinitionInspectAnswer(BaseModel):
    matched: bool = Field(description="Whether the definition's URL pattern matches the URL")
    definition: str | None = Field(description="The stored definition's name; null if unsaved")
    items: list[DefinitionInspectItem]
    metadata: DefinitionInspectMetadata


_CRUD = crud_api(
    PATH,
    noun="task definition",
    fields=DefinitionFields,
    record=DefinitionModel,
    entry=DefinitionModel,
    tag=TAG,
)
API = (
    ApiRoute(
        "GET",
        PATH,
        "List task definitions (?include=definition: with their rules)",
        {200: page_model("DefinitionEntryPage", DefinitionEntry)},
        query=DefinitionListQuery,
        tags=(TAG,),
    ),
    *_CRUD[1:],
    ApiRoute(
        "POST",
        PATH + "inspect",
        "Read a URL with a task definition and show the items it would queue",
        {200: DefinitionInspectAnswer},
        body=DefinitionInspectBody,
        tags=(TAG,),
        description="400 with the reason when the page cannot be fetched or read.",
    ),
)
