"""The condition filter language: yt-dlp's match-filter atoms joined by ``||``, ``&``/``&&``
and parentheses.

yt-dlp's own ``match_str`` already reads ``a & b`` but has no OR and no grouping; each atom
here is still handed to ``match_str``, so comparisons, ``~=`` regexes, ``?`` for a missing
field and ``!field`` mean exactly what they mean in ``--match-filters``. Operators and
parentheses inside quotes belong to the atom.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

from yt_dlp.utils import match_str

from app.core.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Atom:
    text: str
    position: int

    def matches(self, info: Mapping[str, Any]) -> bool:
        try:
            return bool(match_str(self.text, info))
        except (TypeError, ValueError):
            # A value of another type than the filter expects (e.g. a string duration)
            # does not match, like a missing field without "?".
            return False


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Node, ...]

    def matches(self, info: Mapping[str, Any]) -> bool:
        return all(part.matches(info) for part in self.parts)


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Node, ...]

    def matches(self, info: Mapping[str, Any]) -> bool:
        return any(part.matches(info) for part in self.parts)


Node = Union[Atom, AllOf, AnyOf]  # noqa: UP007 - a runtime alias: the classes refer to it


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" | ")" | "or" | "and" | "atom" | "end"
    text: str
    position: int


def parse_filter(text: str) -> Node:
    """Parses a filter; a malformed one raises InvalidInput naming the position (0-based)."""
    if not text.strip():
        raise InvalidInput("Invalid filter: it is empty.")
    parser = _Parser(list(_tokens(text)))
    node = parser.expression()
    parser.expect("end")
    return node


def matches(text: str, info: Mapping[str, Any]) -> bool:
    return parse_filter(text).matches(info)


def _error(position: int, reason: str) -> InvalidInput:
    return InvalidInput(f"Invalid filter at position {position}: {reason}.")


def _tokens(text: str) -> Iterator[_Token]:
    atom_start: int | None = None
    quote: str | None = None
    i = 0

    def flush(end: int) -> Iterator[_Token]:
        nonlocal atom_start
        if atom_start is not None:
            raw = text[atom_start:end]
            if raw.strip():
                start = atom_start + len(raw) - len(raw.lstrip())
                yield _Token("atom", raw.strip(), start)
            atom_start = None

    while i < len(text):
        char = text[i]
        if quote:
            if char == "\\":
                i += 1
            elif char == quote:
                quote = None
            i += 1
            continue
        operator = _operator_at(text, i)
        if operator:
            yield from flush(i)
            kind, width = operator
            yield _Token(kind, text[i : i + width], i)
            i += width
            continue
        if atom_start is None and not char.isspace():
            atom_start = i
        if char in "'\"":
            quote = char
        i += 1
    if quote:
        raise _error(len(text), "a quoted string is not closed")
    yield from flush(len(text))
    yield _Token("end", "", len(text))


def _operator_at(text: str, i: int) -> tuple[str, int] | None:
    pair = text[i : i + 2]
    if pair == "||":
        return "or", 2
    if pair == "&&":
        return "and", 2
    char = text[i]
    if char == "&":
        return "and", 1
    if char in "()":
        return char, 1
    return None


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0

    def _peek(self) -> _Token:
        return self._tokens[self._index]

    def _next(self) -> _Token:
        token = self._tokens[self._index]
        self._index += 1
        return token

    def expect(self, kind: str) -> _Token:
        token = self._next()
        if token.kind != kind:
            wanted = "the end of the filter" if kind == "end" else f"'{kind}'"
            found = "the end" if token.kind == "end" else repr(token.text)
            raise _error(token.position, f"expected {wanted}, found {found}")
        return token

    def expression(self) -> Node:
        parts = [self._all_of()]
        while self._peek().kind == "or":
            self._next()
            parts.append(self._all_of())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def _all_of(self) -> Node:
        parts = [self._unary()]
        while self._peek().kind == "and":
            self._next()
            parts.append(self._unary())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _unary(self) -> Node:
        token = self._next()
        if token.kind == "(":
            node = self.expression()
            self.expect(")")
            return node
        if token.kind == "atom":
            return _atom(token)
        found = "the end" if token.kind == "end" else repr(token.text)
        raise _error(token.position, f"expected a condition or '(', found {found}")


def _atom(token: _Token) -> Atom:
    try:
        match_str(token.text, {})
    except ValueError as exc:
        raise _error(token.position, str(exc)) from None
    except TypeError:
        pass  # a type mismatch needs real data to show; the atom itself parsed
    return Atom(token.text, token.position)
