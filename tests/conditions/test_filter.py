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
    "tags": ["music", "live"],
    "upload_date": "20240101",
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
        ("duration >= 1:00:00 & duration < 2:00:00", True),  # durations, as yt-dlp reads them
        ("duration != 600", True),
        ("duration ~= 36", False),  # a string operator on a number never matches
        ("title *= 'a||b (video'", True),
        ("title ^= Long & title $= '(video)'", True),
        ("title !^= Long", False),
        ("title ~= '(?i)^LONG'", True),
        ("title !~= 'x$'", True),
        ("tags *= music", True),  # an item of a list
        ("tags ^= music", False),  # not a string: no match rather than an error
        ("upload_date > 20231231", True),  # a string field compares as a string
        ("title = 'Long a\\&b'", False),
        ("channel_id = 'ch\\-test'", False),  # only "\\&" and the quote are unescaped
        ("! is_live", True),
        ("is_live", False),
        ("title = ''", False),  # an empty quoted value is the empty string
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
        ("duration >> 5", 9),
        ("duration > 5 6", 13),
        ("title ~= '(a)\\1'", 9),
    ],
)
def test_errors_name_the_position(text: str, position: int) -> None:
    with pytest.raises(InvalidInput, match=f"position {position}:"):
        parse_filter(text)


def test_empty_filter() -> None:
    with pytest.raises(InvalidInput, match="empty"):
        parse_filter("  ")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # Unknown or malformed operators.
        ("duration >> 5", "unknown operator '>>'"),
        ("duration == 5", "unknown operator '=='"),
        ("duration => 5", "unknown operator '=>'"),
        ("duration <> 5", "unknown operator '<>'"),
        ("title =~ 'x'", "unknown operator '=~'"),
        ("title !!= x", "unknown operator '!='"),
        ("duration > >5", "cannot start with '>'"),
        ("duration >?? 5", "cannot start with '?'"),
        ("is_live true", "expected an operator"),
        ("Duration > 5", "expected a field name"),
        ("5 < duration", "expected a field name"),
        # Trailing garbage after a comparison.
        ("duration > 5 6", "unexpected '6'"),
        ("duration > 5 duration < 10", "unexpected 'duration < 10'"),
        ("title = 'a' 'b'", "unexpected \"'b'\""),
        ("!is_live now", "unexpected 'now'"),
        # Empty operands.
        ("duration >", "a value is missing"),
        ("duration > ?", "a value is missing"),
        ("a & & b", "expected a condition"),
        ("()", "expected a condition"),
        ("duration > 5 ||", "expected a condition"),
        # Unbalanced quotes and parentheses.
        ('title = "open', "not closed"),
        ("title = it's", "not closed"),
        ("((duration > 5)", "expected ')'"),
        ("duration > 5))", "expected the end"),
        # Regular expressions RE2 cannot run in linear time.
        ("title ~= '(a)\\1'", "backreferences"),
        ("title ~= '(?=a)b'", "lookarounds"),
        ("title ~= '(?<!a)b'", "refused"),
        ("title ~= '['", "missing ]"),
    ],
)
def test_malformed_filters_are_refused(text: str, reason: str) -> None:
    with pytest.raises(InvalidInput, match="position") as caught:
        parse_filter(text)
    assert reason in caught.value.message


def test_escaped_and_quoted_ampersands_belong_to_the_value() -> None:
    assert matches("title = 'rock & roll'", {"title": "rock & roll"})
    assert matches("title = rock\\&roll", {"title": "rock&roll"})
    assert matches('title = "say \\"hi\\""', {"title": 'say "hi"'})
