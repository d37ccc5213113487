"""A definition's URL pattern, compiled once with RE2 (linear time whatever users write)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Protocol, cast

from app.core.errors import InvalidInput
from app.core.regex import LinearPattern, compile_linear
from app.definitions.models import RequestRule, UrlPattern

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class _Match(Protocol):
    def groupdict(self) -> dict[str, str | None]: ...


def glob_regex(glob: str) -> str:
    """The whole URL: ``*`` any text, ``?`` one character, everything else literal."""
    parts = {"*": ".*", "?": "."}
    return "^" + "".join(parts.get(c) or re.escape(c) for c in glob) + "$"


@dataclass(frozen=True, slots=True)
class UrlMatcher:
    pattern: LinearPattern

    @classmethod
    def of(cls, rule: UrlPattern) -> UrlMatcher:
        return cls(compile_linear(rule.regex or glob_regex(rule.glob)))

    def groups(self, url: str) -> dict[str, str] | None:
        """The named groups of a match (empty for a glob), or None when ``url`` does not match."""
        found = self.pattern.search(url)
        if found is None:
            return None
        return {k: v for k, v in cast(_Match, found).groupdict().items() if v is not None}


def page_url(request: RequestRule, url: str, groups: dict[str, str]) -> str:
    """The URL to fetch: the task's, or ``request.url`` with ``{name}`` filled from ``groups``."""
    if not request.url:
        return url

    def fill(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in groups:
            raise InvalidInput(f"request.url: {{{name}}} is not a named group the URL matched.")
        return groups[name]

    return _PLACEHOLDER.sub(fill, request.url)
