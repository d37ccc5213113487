"""The download fields API, for its OpenAPI document."""

from __future__ import annotations

from app.core.openapi import crud_api
from app.dl_fields.models import DlFieldFields, DlFieldModel

# Download fields hold no secret: lists show whole records.
API = crud_api(
    "/api/dl_fields",
    noun="download field",
    fields=DlFieldFields,
    record=DlFieldModel,
    entry=DlFieldModel,
    tag="dl_fields",
)
