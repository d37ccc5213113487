"""Condition filters run on the event loop: their regexes run in linear time, and a filter
that would not is refused with a 400 when it is saved or tested, never a 500."""

from __future__ import annotations

import pytest

from app import keys
from app.conditions.filter import MAX_DEPTH, MAX_LENGTH, matches, parse_filter
from app.core.errors import InvalidInput
from app.core.regex import UnsupportedPattern, compile_linear
from tests.conftest import Client
from tests.integration.helpers import call

# Each doubles Python's backtracking time with every character of a near-match.
# (pattern, whether it is found in 10,000 a's and a "!").
EVIL = [
    ("(a|a)*$", True),  # the empty match at the end
    ("(a+)+$", False),
    ("(a|aa)+!$", True),
    ("(.*a){12}$", False),
    ("^(a?){25}a{25}$", False),
    ("^(\\w+\\s?)*$", False),
]


@pytest.mark.parametrize(("pattern", "found"), EVIL)
def test_catastrophic_patterns_run_over_a_long_title(pattern: str, found: bool) -> None:
    """Under RE2 these compile and run over 10,000 characters; with ``re`` they never end."""
    compile_linear(pattern)
    info = {"title": "a" * 10_000 + "!", "duration": 1}
    assert matches(f"title ~= '{pattern}'", info) is found
    assert matches(f"title !~= '{pattern}' || duration > 5", info) is not found


@pytest.mark.parametrize(
    "pattern",
    ["(a)\\1", "(?=a)", "(?!a)", "(?<=a)b", "(?<!a)b", "a\\Z", "a{1001}", "(a{999}){999}"],
)
def test_patterns_re2_cannot_run_are_refused(pattern: str) -> None:
    with pytest.raises(UnsupportedPattern):
        compile_linear(pattern)
    with pytest.raises(InvalidInput, match="position 9: the regular expression"):
        parse_filter(f"title ~= '{pattern}'")


def test_nesting_and_length_are_bounded() -> None:
    deep = "(" * 2000 + "duration > 5" + ")" * 2000
    with pytest.raises(InvalidInput, match=f"deeper than {MAX_DEPTH}"):
        parse_filter(deep)
    fits = "(" * MAX_DEPTH + "duration > 5" + ")" * MAX_DEPTH
    assert matches(fits, {"duration": 6})
    with pytest.raises(InvalidInput, match="longer than"):
        parse_filter("duration > 5 & " * (MAX_LENGTH // 15) + "duration > 5")
    many = " || ".join(["duration > 5"] * 500)  # wide but shallow: fine
    assert matches(many, {"duration": 6})


BAD_FILTERS = [
    "title ~= '(a)\\1'",
    "title ~= '(?=x)'",
    "duration >> 5",
    "duration > 5 duration < 10",
    "title = 'open",
    "(" * 2000 + "duration > 5" + ")" * 2000,
    "x" * (MAX_LENGTH + 1),
]


@pytest.mark.parametrize("bad", BAD_FILTERS)
async def test_saving_a_bad_filter_is_a_400_and_stores_nothing(client: Client, bad: str) -> None:
    answer = await call(
        client, "POST", "/api/conditions", json={"name": "bad", "filter": bad}, status=400
    )
    assert "filter" in answer["error"]
    saved = await call(client, "POST", "/api/conditions", json={"name": "ok", "filter": "is_live"})
    await call(client, "PATCH", f"/api/conditions/{saved['id']}", json={"filter": bad}, status=400)
    await call(
        client,
        "PUT",
        f"/api/conditions/{saved['id']}",
        json={"name": "ok", "filter": bad},
        status=400,
    )
    assert [c.filter for c in client.app[keys.CONDITIONS].all()] == ["is_live"]


@pytest.mark.parametrize("bad", BAD_FILTERS)
async def test_testing_a_bad_filter_is_a_400_before_any_extraction(
    client: Client, bad: str
) -> None:
    # The URL is never fetched: the filter is refused first.
    answer = await call(
        client,
        "POST",
        "/api/conditions/test",
        json={"url": "http://127.0.0.1:9/never", "condition": bad},
        status=400,
    )
    assert "filter" in answer["error"]


async def test_a_saved_evil_pattern_matches_a_long_title_on_add(client: Client) -> None:
    await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "evil", "filter": "title ~= '(a|a)*$'", "extras": {"skip": True}},
    )
    service = client.app[keys.CONDITIONS]
    found = service.match({"title": "a" * 10_000 + "b"})
    assert found is not None and found.name == "evil"  # "$" matches after the b, at the end
