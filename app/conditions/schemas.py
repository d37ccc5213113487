"""Shapes of the conditions API's answers and bodies, for its OpenAPI document."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import SkipJsonSchema

from app.conditions.models import ConditionExtras, ConditionFields, ConditionModel
from app.core.openapi import ApiRoute, crud_api, entry_model

# Lists and events say only whether a condition has cookies: cookies are a secret.
ConditionEntryExtras = entry_model(
    "ConditionEntryExtras", ConditionExtras, drop=["cookies"], add={"has_cookies": (bool, False)}
)
ConditionEntry = entry_model(
    "ConditionEntry", ConditionModel, add={"extras": (ConditionEntryExtras, ...)}
)


class ConditionTestRequest(BaseModel):
    url: str
    condition: str
    preset: str | SkipJsonSchema[None] = None


class ConditionTestResult(BaseModel):
    status: bool
    condition: str
    data: dict[str, Any]


API = (
    *crud_api(
        "/api/conditions",
        noun="condition",
        fields=ConditionFields,
        record=ConditionModel,
        entry=ConditionEntry,
        tag="conditions",
    ),
    ApiRoute(
        "POST",
        "/api/conditions/test",
        "Extract a URL's info and test a filter on it",
        {200: ConditionTestResult},
        body=ConditionTestRequest,
        tags=("conditions",),
    ),
)
