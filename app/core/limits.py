"""Bounds on what clients send, checked where the input is parsed.

Each bound stands for a failure further down that would otherwise be a 500: Python's JSON
parser recurses once per nesting level, SQLite integers are 64-bit, and a file name (one
path component) longer than 255 bytes cannot be opened.
"""

from __future__ import annotations

import json
import re
from itertools import accumulate
from typing import Annotated, Any

from pydantic import Field

from app.core.errors import InvalidInput

MAX_JSON_DEPTH = 32  # arrays and objects inside each other; the API needs a handful
MAX_NAME_BYTES = 255  # one path component, as most file systems allow
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

# An integer that SQLite can store (and that pydantic refuses beyond, with a clear message).
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]

_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def json_depth(text: str) -> int:
    """How deeply arrays and objects nest in JSON text, without parsing it (no recursion)."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(1 if c in "[{" else -1 for c in brackets), default=0)


def load_json(data: str | bytes, what: str = "The request body") -> Any:
    """Parses client JSON; too deep, too long a number or malformed is ``InvalidInput``."""
    try:
        text = data.decode() if isinstance(data, bytes) else data
    except UnicodeDecodeError:
        raise InvalidInput(f"{what} is not valid JSON.") from None
    if json_depth(text) > MAX_JSON_DEPTH:
        raise InvalidInput(f"{what} nests deeper than {MAX_JSON_DEPTH} levels.")
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        raise InvalidInput(f"{what} is not valid JSON.") from None
    except (ValueError, RecursionError):
        # int() refuses numbers of more than 4,300 digits with a plain ValueError.
        raise InvalidInput(f"{what} holds a number that is too long.") from None
    if _SURROGATE_ESCAPE.search(text) and not _is_text(value):
        raise InvalidInput(f"{what} holds a lone surrogate (\\ud800-\\udfff), which is not text.")
    return value


def _is_text(value: Any) -> bool:
    """Whether every string in parsed JSON is encodable: JSON lets ``"\\ud800"`` through,
    and SQLite, file names and yt-dlp then fail on it."""
    if isinstance(value, str):
        return _encodes(value)
    if isinstance(value, list):
        return all(_is_text(v) for v in value)
    if isinstance(value, dict):
        return all(_encodes(k) and _is_text(v) for k, v in value.items())
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_int(value: int, what: str) -> int:
    if not INT64_MIN <= value <= INT64_MAX:
        raise InvalidInput(f"{what} is out of range.")
    return value


def check_name_length(parts: tuple[str, ...], what: str) -> tuple[str, ...]:
    """Refuses a path whose folder or file names are too long for the file system."""
    for part in parts:
        if len(part.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
            raise InvalidInput(f"{what} has a name longer than {MAX_NAME_BYTES} bytes.")
    return parts
