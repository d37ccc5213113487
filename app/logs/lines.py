"""How a log record becomes one stored line, with secrets taken out, and back into an entry.

A record is one line that starts with its time (ISO 8601, UTC) and level; a traceback or a
multi-line message follows it on lines of its own, which belong to the same entry.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from datetime import UTC, datetime
from typing import Any

HIDDEN = "***"
# key=value and key: value pairs whose value is a secret, whoever logged them (a URL's
# query string in an access log, a header in a debug dump).
_SECRET_PAIRS = re.compile(
    r"(?i)\b(apikey|api_key|x-api-key|token|access_token|password|passwd|secret|cookie"
    r"|authorization)(\s*[=:]\s*)(?:(basic|bearer|token)\s+)?([^\s&\"',;]+)"
)
_HEADER = re.compile(
    r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:[+-]\d\d:\d\d|Z)) "
    r"(?P<level>[A-Z]+) (?P<message>.*)",
    re.DOTALL,
)


class Redactor:
    """Takes known secrets (the auth password and its Basic encodings) and secret-looking
    pairs out of a line."""

    def __init__(self, username: str = "", password: str = "") -> None:
        literals = set()
        if password:
            pair = f"{username}:{password}".encode()
            encodings = (base64.b64encode(pair), base64.urlsafe_b64encode(pair))
            for encoded in encodings:
                literals.update({encoded.decode(), encoded.decode().rstrip("=")})
            literals.add(password)
        # Longest first: an encoding is replaced whole before a password inside it.
        self._literals = sorted(literals, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for literal in self._literals:
            text = text.replace(literal, HIDDEN)
        return _SECRET_PAIRS.sub(_hide_pair, text)


def _hide_pair(match: re.Match[str]) -> str:
    scheme = f"{match[3]} " if match[3] else ""
    return f"{match[1]}{match[2]}{scheme}{HIDDEN}"


class LineFormatter(logging.Formatter):
    """``<ISO time> <LEVEL> <logger>: <message>``, secrets taken out."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")
        self._redact = redact

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return datetime.fromtimestamp(record.created, UTC).isoformat(timespec="microseconds")

    def format(self, record: logging.LogRecord) -> str:
        return self._redact(super().format(record))


def is_header(line: str) -> bool:
    """Whether a stored line starts an entry (the rest continue the one before)."""
    return _HEADER.match(line) is not None


def entry(text: str) -> dict[str, Any]:
    """The API's entry for one record's text: YTPTube's ``{id, line, datetime}`` and the
    seed's ``{timestamp, level, message}`` side by side."""
    match = _HEADER.match(text)
    when = match["time"] if match else None
    return {
        "id": hashlib.sha256(text.encode("utf-8", "replace")).hexdigest(),
        "line": text,
        "datetime": when,
        "timestamp": when,
        "level": match["level"] if match else None,
        "message": match["message"] if match else text,
    }
