"""Stored task definitions as a task handler (``app.tasks.handlers.Handler``): a task whose
URL a definition matches is read by it. Registered first, before the feed and yt-dlp."""

from __future__ import annotations

from app.core.errors import InvalidInput
from app.definitions.entries import Entry
from app.definitions.service import DefinitionService


class DefinitionHandler:
    name = "TaskDefinition"

    def __init__(self, definitions: DefinitionService) -> None:
        self._definitions = definitions

    def can_handle(self, url: str) -> bool:
        return self._definitions.matching(url) is not None

    async def entries(self, url: str, *, preset: str, static_only: bool = False) -> list[Entry]:
        """The items the matching definition finds; a page it cannot read raises
        ``InvalidInput`` naming the definition and the reason (for the task's log)."""
        record = self._definitions.matching(url)
        if record is None:
            raise InvalidInput(f"No task definition matches {url}.")
        if static_only:
            return []
        try:
            reading = await self._definitions.read(record.definition, url)
        except InvalidInput as exc:
            raise InvalidInput(f"Task definition '{record.name}': {exc}") from None
        return reading.parsed.entries
