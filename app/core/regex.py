"""User-supplied regular expressions, matched in linear time.

Python's ``re`` backtracks: ``(a|a)*$`` against a few dozen characters holds the event loop
for seconds, doubling with each one. RE2 builds an automaton instead, so a search costs
time proportional to the text whatever the pattern. What it gives up (backreferences,
lookarounds) is refused when the pattern is saved, not discovered when it runs.
"""

from __future__ import annotations

import functools
from typing import Protocol, cast

import re2  # type: ignore[import-untyped]  # google-re2 ships no type hints

from app.core.errors import InvalidInput

# A pattern's compiled program may not grow past this (RE2 refuses it: "pattern too large").
_MAX_MEMORY = 8 << 20


class UnsupportedPattern(InvalidInput):
    def __init__(self, pattern: str, reason: str) -> None:
        super().__init__(f"Invalid regular expression {pattern!r}: {reason}.")
        self.reason = reason


class LinearPattern(Protocol):
    def search(self, text: str) -> object | None: ...


@functools.cache
def _options() -> object:
    options = re2.Options()
    options.max_mem = _MAX_MEMORY
    options.log_errors = False  # RE2 would also print each refused pattern on stderr
    return options


def compile_linear(pattern: str) -> LinearPattern:
    """Compiles ``pattern`` with RE2; one it cannot run in linear time is refused (400)."""
    try:
        return cast(LinearPattern, re2.compile(pattern, _options()))
    except re2.error as exc:
        reason = exc.args[0] if exc.args else "not supported"
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        if reason.startswith(("invalid perl operator", "invalid escape sequence")):
            reason += " (backreferences and lookarounds are not supported)"
        raise UnsupportedPattern(pattern, reason) from None
