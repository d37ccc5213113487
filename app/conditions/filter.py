"""The condition filter language: yt-dlp's match-filter comparisons joined by ``||``,
``&``/``&&`` and parentheses.

Each comparison means what it means in ``--match-filters`` (``duration > 600``,
``title ~= 'live'``, ``uploader =? 'x'``, ``!is_live``), but it is parsed and evaluated
here rather than by yt-dlp's ``match_str``: filters run on the event loop, so a ``~=``
pattern goes through RE2 (linear time) instead of Python's backtracking ``re``, and a
malformed comparison (``duration >> 5``) is refused when it is saved instead of silently
never matching. Operators and parentheses inside quotes belong to the comparison.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Union

from yt_dlp.utils import parse_duration, parse_filesize

from app.core.errors import InvalidInput
from app.core.regex import LinearPattern, UnsupportedPattern, compile_linear

MAX_LENGTH = 10_000
MAX_DEPTH = 32

_STRING_OPERATORS = ("*=", "^=", "$=", "~=")
# Two-character operators first: "<=" must not be read as "<" followed by "=".
_OPERATORS = (*_STRING_OPERATORS, "<=", ">=", "<", ">", "=")
# After an operator, one of these makes it a different, unknown one (">>", "==", "=>").
_OPERATOR_CHARS = frozenset("<>=!~*^$")
_ORDERING: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    ">=": operator.ge,
    "<": operator.lt,
    ">": operator.gt,
    "=": operator.eq,
}


@dataclass(frozen=True, slots=True)
class Presence:
    """``field`` (set, or true) and ``!field`` (missing, or false)."""

    key: str
    wanted: bool

    def matches(self, info: Mapping[str, Any]) -> bool:
        value = info.get(self.key)
        if isinstance(value, bool):
            return value is self.wanted
        return (value is not None) is self.wanted


@dataclass(frozen=True, slots=True)
class Comparison:
    key: str
    op: str
    value: str
    negate: bool = False
    if_missing: bool = False  # "?": a missing field passes
    number: float | None = None  # the value read as a number, size or duration
    pattern: LinearPattern | None = None  # for "~="

    def matches(self, info: Mapping[str, Any]) -> bool:
        actual = info.get(self.key)
        if actual is None:
            return self.if_missing
        try:
            result = self._compare(actual)
        except TypeError:
            # A value of another type than the filter expects (e.g. a string duration)
            # does not match, like a missing field without "?" (yt-dlp does the same).
            return False
        return result is not self.negate

    def _compare(self, actual: Any) -> bool:
        if isinstance(actual, int | float) and self.op in _STRING_OPERATORS:
            raise TypeError("a string operator on a number")
        if self.op == "*=":
            return self.value in actual  # a substring, or an item of a list (tags)
        if not isinstance(actual, str) and self.op in _STRING_OPERATORS:
            raise TypeError("a string operator on a non-string")
        if self.op == "~=":
            assert self.pattern is not None
            return self.pattern.search(actual) is not None
        if self.op == "^=":
            return bool(actual.startswith(self.value))
        if self.op == "$=":
            return bool(actual.endswith(self.value))
        numeric = isinstance(actual, int | float) and self.number is not None
        return bool(_ORDERING[self.op](actual, self.number if numeric else self.value))


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


Node = Union[Presence, Comparison, AllOf, AnyOf]  # noqa: UP007 - a runtime alias


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(" | ")" | "or" | "and" | "atom" | "end"
    text: str
    position: int


def parse_filter(text: str) -> Node:
    """Parses a filter; a malformed one raises InvalidInput naming the position (0-based)."""
    if not text.strip():
        raise InvalidInput("Invalid filter: it is empty.")
    if len(text) > MAX_LENGTH:
        raise InvalidInput(f"Invalid filter: longer than {MAX_LENGTH} characters.")
    parser = _Parser(list(_tokens(text)))
    node = parser.expression()
    parser.expect("end")
    return node


def matches(text: str, info: Mapping[str, Any]) -> bool:
    return parse_filter(text).matches(info)


def _error(position: int, reason: str) -> InvalidInput:
    return InvalidInput(f"Invalid filter at position {position}: {reason}.")


# -- tokens ------------------------------------------------------------------------------


def _tokens(text: str) -> Iterator[_Token]:
    atom_start: int | None = None
    quote: str | None = None
    i = 0

    def flush(end: int) -> Iterator[_Token]:
        nonlocal atom_start
        if atom_start is not None:
            raw = text[atom_start:end]
            yield _Token("atom", raw.rstrip(), atom_start)
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
        operator_ = _operator_at(text, i)
        if operator_:
            yield from flush(i)
            kind, width = operator_
            yield _Token(kind, text[i : i + width], i)
            i += width
            continue
        if atom_start is None and not char.isspace():
            atom_start = i
        if char in "'\"":
            quote = char
        # Outside quotes a backslash keeps the next character in the comparison: "\&".
        i += 2 if char == "\\" else 1
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


# -- structure ---------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self._tokens = tokens
        self._index = 0
        self._depth = 0

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
            raise _error(token.position, f"expected {wanted}, found {_found(token)}")
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
            if self._depth == MAX_DEPTH:
                raise _error(token.position, f"parentheses nest deeper than {MAX_DEPTH}")
            self._depth += 1
            node = self.expression()
            self.expect(")")
            self._depth -= 1
            return node
        if token.kind == "atom":
            return _Atom(token.text, token.position).parse()
        raise _error(token.position, f"expected a condition or '(', found {_found(token)}")


def _found(token: _Token) -> str:
    return "the end" if token.kind == "end" else repr(token.text)


# -- comparisons -------------------------------------------------------------------------


class _Atom:
    """``[!]field`` or ``field [!]op [?] value``, as yt-dlp's ``--match-filters`` reads it."""

    def __init__(self, text: str, position: int) -> None:
        self._text = text
        self._start = position
        self._i = 0

    def parse(self) -> Presence | Comparison:
        if self._take("!"):
            self._space()
            key = self._key()
            self._end("after the field")
            return Presence(key, wanted=False)
        key = self._key()
        self._space()
        if self._i == len(self._text):
            return Presence(key, wanted=True)
        negate = self._take("!")
        self._space()
        op = self._operator()
        self._space()
        if_missing = self._take("?")
        self._space()
        value_at = self._i
        value = self._value()
        return Comparison(
            key,
            op,
            value,
            negate=negate,
            if_missing=if_missing,
            number=_number(value),
            pattern=self._pattern(value, value_at) if op == "~=" else None,
        )

    def _fail(self, reason: str, at: int | None = None) -> InvalidInput:
        return _error(self._start + (self._i if at is None else at), reason)

    def _take(self, char: str) -> bool:
        if self._text.startswith(char, self._i):
            self._i += len(char)
            return True
        return False

    def _space(self) -> None:
        while self._i < len(self._text) and self._text[self._i].isspace():
            self._i += 1

    def _end(self, where: str) -> None:
        self._space()
        if self._i < len(self._text):
            rest = self._text[self._i :]
            raise self._fail(f"unexpected {rest!r} {where}")

    def _key(self) -> str:
        start = self._i
        while self._i < len(self._text) and (
            "a" <= self._text[self._i] <= "z" or self._text[self._i] == "_"
        ):
            self._i += 1
        if start == self._i:
            found = self._text[self._i :] or "nothing"
            raise self._fail(f"expected a field name (a-z and _), found {found!r}")
        return self._text[start : self._i]

    def _operator(self) -> str:
        start = self._i
        op = next((op for op in _OPERATORS if self._text.startswith(op, start)), None)
        end = start + (len(op) if op else 0)
        while end < len(self._text) and self._text[end] in _OPERATOR_CHARS:
            end += 1
        if end == start:
            found = self._text[start:]
            raise self._fail(f"expected an operator (=, <, >, ~=, *=, ...), found {found!r}")
        if op is None or end != start + len(op):
            raise self._fail(f"unknown operator {self._text[start:end]!r}")
        self._i = end
        return op

    def _value(self) -> str:
        if self._i == len(self._text):
            raise self._fail("a value is missing after the operator")
        quote = self._text[self._i]
        if quote in "'\"":
            return self._quoted(quote)
        if quote in _OPERATOR_CHARS or quote == "?":
            raise self._fail(f"a value cannot start with {quote!r} (quote it)")
        start = self._i
        while self._i < len(self._text) and not self._text[self._i].isspace():
            self._i += 2 if self._text[self._i] == "\\" else 1
        self._end("after the value (quote a value that has spaces)")
        return self._text[start : self._i].replace("\\&", "&")

    def _quoted(self, quote: str) -> str:
        start = self._i + 1
        i = start
        while i < len(self._text) and self._text[i] != quote:
            i += 2 if self._text[i] == "\\" else 1
        if i >= len(self._text):
            raise self._fail("a quoted string is not closed")
        self._i = i + 1
        self._end("after the quoted value")
        # yt-dlp's own unescaping: "\&" and the quote; other backslashes are the regex's.
        return self._text[start:i].replace("\\&", "&").replace("\\" + quote, quote)

    def _pattern(self, value: str, at: int) -> LinearPattern:
        try:
            return compile_linear(value)
        except UnsupportedPattern as exc:
            raise self._fail(
                f"the regular expression {value!r} is refused: {exc.reason}", at
            ) from None


def _number(value: str) -> float | None:
    """The value as yt-dlp compares it with a numeric field: 600, 1.5M, 10MiB, 1:30:00."""
    try:
        return int(value)
    except ValueError:
        pass
    for parsed in (parse_filesize(value), parse_filesize(f"{value}B"), parse_duration(value)):
        if parsed is not None:
            return float(parsed) if isinstance(parsed, float) else int(parsed)
    return None
