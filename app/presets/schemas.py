"""Shapes of the presets API's answers, for its OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic.json_schema import SkipJsonSchema

from app.core.openapi import ApiRoute, PageQuery, crud_api, entry_model
from app.presets.models import PresetFields, PresetModel

# Lists and events say only whether a preset has cookies: cookies are a secret.
PresetEntry = entry_model(
    "PresetEntry", PresetModel, drop=["cookies"], add={"has_cookies": (bool, False)}
)


class PresetName(BaseModel):
    name: str


class PresetListQuery(PageQuery):
    model_config = ConfigDict(extra="forbid")

    filter: Literal["name"] | SkipJsonSchema[None] = None


_CRUD = crud_api(
    "/api/presets",
    noun="preset",
    fields=PresetFields,
    record=PresetModel,
    entry=PresetEntry,
    tag="presets",
)
API = (
    ApiRoute(
        "GET",
        "/api/presets",
        "List presets (?filter=name: names only, as a plain list)",
        {200: _CRUD[0].responses[200] | list[PresetName]},
        query=PresetListQuery,
        tags=("presets",),
    ),
    *_CRUD[1:],
)
