"""Task definitions: checked when saved, matched against task URLs from memory, and read
(fetch, then parse off the event loop) when a task or an inspection asks."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from app.core.crud import CrudService
from app.core.errors import InvalidInput
from app.core.events import EventBus
from app.definitions.fetching import PageFetcher
from app.definitions.matching import UrlMatcher, page_url
from app.definitions.models import Definition, DefinitionFields, DefinitionModel
from app.definitions.parsing import Parsed, check_rules, parse_page
from app.definitions.store import DefinitionStore


@dataclass(frozen=True, slots=True)
class Reading:
    """What a definition found at a URL, for inspection and for tasks."""

    matched: bool
    page_url: str
    parsed: Parsed


class DefinitionService(CrudService[DefinitionFields, DefinitionModel]):
    feature = "task_definitions"
    noun = "Task definition"

    def __init__(self, store: DefinitionStore, bus: EventBus, fetcher: PageFetcher) -> None:
        super().__init__(store, bus)
        self._fetcher = fetcher
        self._matchers: list[tuple[DefinitionModel, UrlMatcher]] = []

    def keep(self, records: list[DefinitionModel]) -> None:
        super().keep(records)
        self._matchers = [
            (r, UrlMatcher.of(r.definition.parse.url)) for r in self._records if r.enabled
        ]

    def check(self, fields: DefinitionFields, record_id: int | None) -> DefinitionFields:
        UrlMatcher.of(fields.definition.parse.url)
        check_rules(fields.definition)
        return fields

    def matching(self, url: str) -> DefinitionModel | None:
        """The first enabled definition (by id) whose pattern matches ``url``; no network."""
        return next((r for r, m in self._matchers if m.groups(url) is not None), None)

    async def read(self, definition: Definition, url: str) -> Reading:
        """Fetches and parses ``url`` with ``definition`` (saved or not); an unreadable page
        is an ``InvalidInput`` saying why."""
        check_rules(definition)
        groups = UrlMatcher.of(definition.parse.url).groups(url)
        target = page_url(definition.request, url, groups or {})
        if not target.startswith(("http://", "https://")):
            raise InvalidInput(f"Only http and https pages can be read, not {target!r}.")
        page = await self._fetcher.fetch(target, definition.request, definition.response.max_bytes)
        parsed = await asyncio.to_thread(parse_page, definition, page.text, page.url)
        return Reading(groups is not None, page.url, parsed)
