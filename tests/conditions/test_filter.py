"""The filter language: yt-dlp atoms with ||, &/&& and parentheses."""

from __future__ import annotations

from typing import Any

import pytest

from app.conditions.filter import matches, parse_filter
from app.core.errors import InvalidInput

INFO: dict[str, Any] = {
    "duration": 3600,
    "title": "Long a||b (video)",
    "availability": "needs_auth",
    "is_live": False,
    "channel_id": "ch-test",
}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("duration > 600", True),
        ("duration < 600", False),
        ("duration < 600 || availability = 'needs_auth'", True),
        ("duration < 600 & availability = 'needs_auth'", False),
        ("duration > 600 && availability = 'needs_auth'", True),
        ("(duration < 600 || duration > 1000) & !is_live", True),
        ("duration < 600 || (title ~= 'a\\|\\|b' & channel_id = 'ch-test')", True),
        ("title = 'Long a||b (video)'", True),  # operators inside quotes belong to the atom
        ("uploader = 'x'", False),
        ("uploader =? 'x'", True),  # "?" lets a missing field pass, as in yt-dlp
        ("duration > 'abc'", False),  # a type mismatch does not match rather than fail
    ],
)
def test_evaluation(text: str, expected: bool) -> None:
    assert matches(text, INFO) is expected


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("duration > 5 ||", 15),
        ("(duration > 5", 13),
        ("duration > 5)", 12),
        ("&& duration > 5", 0),
        ("title = 'open", 13),
        ("a || ()", 6),
    ],
)
def test_errors_name_the_position(text: str, position: int) -> None:
    with pytest.raises(InvalidInput, match=f"position {position}:"):
        parse_filter(text)


def test_empty_filter() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        parse_filter("  ")
