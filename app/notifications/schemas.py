"""The notifications API, for its OpenAPI document."""

from __future__ import annotations

from pydantic import BaseModel

from app.core.openapi import ApiRoute, crud_api
from app.notifications.events import NotificationName
from app.notifications.models import NotificationFields, NotificationModel


class NotificationEventNames(BaseModel):
    events: list[NotificationName]


class NotificationTestResult(BaseModel):
    id: int
    name: str
    delivered: bool
    attempts: int
    error: str | None


class NotificationTestResults(BaseModel):
    results: list[NotificationTestResult]


TAGS = ("notifications",)

# The seed's lists show targets whole, headers included.
API = (
    *crud_api(
        "/api/notifications/",
        noun="notification target",
        fields=NotificationFields,
        record=NotificationModel,
        entry=NotificationModel,
        tag="notifications",
    ),
    ApiRoute(
        "GET",
        "/api/notifications/events/",
        "The notification event names a target may choose",
        {200: NotificationEventNames},
        tags=TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/notifications/test",
        "Send a test notification to every enabled target; whether each got it",
        {200: NotificationTestResults},
        tags=TAGS,
    ),
)
