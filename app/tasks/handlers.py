"""What a task's handler is: the interface task definitions (``app/definitions``), the
feed handler and the generic yt-dlp handler implement, and the ordered registry that picks
one for a URL.

Handlers are registered at start-up in order (definitions first, then feed, then generic
yt-dlp); the first whose ``can_handle`` says yes handles the URL, unless a task or an
inspection names one explicitly.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from app.definitions.entries import Entry

__all__ = ["Entry", "Handler", "Handlers"]


class Handler(Protocol):
    name: str

    def can_handle(self, url: str) -> bool:
        """A cheap, static check (no network): whether this handler is for ``url``."""
        ...

    async def entries(self, url: str, *, preset: str, static_only: bool = False) -> list[Entry]:
        """The items at ``url`` now, newest first when the source says; ``static_only``
        asks for what can be known without fetching (may be empty)."""
        ...


class Handlers:
    """The registry, in start-up order."""

    def __init__(self, handlers: Iterable[Handler] = ()) -> None:
        self._definitions: list[Handler] = []
        self._handlers: list[Handler] = list(handlers)

    def register(self, handler: Handler) -> None:
        """After every handler registered so far (the built-ins: feed, then generic)."""
        self._handlers.append(handler)

    def register_definition(self, handler: Handler) -> None:
        """A task definition's handler: asked before the built-ins, whenever it is added."""
        self._definitions.append(handler)

    def unregister(self, name: str) -> None:
        """A definition deleted or disabled: its handler is no longer asked."""
        self._definitions = [h for h in self._definitions if h.name != name]
        self._handlers = [h for h in self._handlers if h.name != name]

    def all(self) -> list[Handler]:
        return [*self._definitions, *self._handlers]

    def names(self) -> list[str]:
        return [h.name for h in self.all()]

    def named(self, name: str) -> Handler | None:
        return next((h for h in self.all() if h.name == name), None)

    def for_url(self, url: str) -> Handler | None:
        return next((h for h in self.all() if h.can_handle(url)), None)
