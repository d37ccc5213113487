"""Reading a fetched page into entries: pure functions of the page's text, run off the loop.

HTML is parsed by selectolax (lexbor, a maintained C parser with CSS selectors); JSON by the
standard library, queried with JMESPath. Anything the definition cannot read is a
``PageUnreadable`` that says what and where, never a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import jmespath
from jmespath.exceptions import JMESPathError
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from app.core.errors import InvalidInput
from app.core.regex import LinearPattern, compile_linear
from app.definitions.entries import Entry
from app.definitions.models import Definition, FieldRule, ItemsRule

MAX_ITEMS = 5000


class PageUnreadable(InvalidInput):
    """The page does not fit the definition: not JSON, a selector that finds nothing..."""


@dataclass(frozen=True, slots=True)
class Parsed:
    entries: list[Entry]
    raw_count: int  # elements the items selector found, with or without a URL


Reader = Callable[[Any, FieldRule], str | None]


def check_rules(definition: Definition) -> None:
    """Refuses selectors, expressions and patterns that cannot run (400 naming the field)."""
    items = definition.parse.items
    rules = {"url": items.url, "title": items.title, "id": items.id}
    html = definition.engine.type == "html"
    _check_expression(html, items.selector, "parse.items.selector")
    for name, rule in rules.items():
        if rule is None:
            continue
        if rule.expression:
            _check_expression(html, rule.expression, f"parse.items.{name}.expression")
        if rule.regex:
            compile_linear(rule.regex)


def _check_expression(html: bool, expression: str, where: str) -> None:
    try:
        if html:
            LexborHTMLParser("<p></p>").css(expression)
        else:
            jmespath.compile(expression)
    except (SelectolaxError, JMESPathError) as exc:
        kind = "CSS selector" if html else "JMESPath expression"
        raise InvalidInput(f"{where}: {expression!r} is not a valid {kind} ({exc}).") from None


def parse_page(definition: Definition, text: str, page_url: str) -> Parsed:
    items = definition.parse.items
    if definition.engine.type == "html":
        found: list[Any] = _html_items(text, items.selector)
        reader: Reader = _html_value
    else:
        found = _json_items(text, items.selector)
        reader = _json_value
    entries = _entries(found[:MAX_ITEMS], items, reader, page_url)
    if found and not entries:
        raise PageUnreadable(
            f"None of the {len(found)} items the selector found has a http(s) URL "
            "(check parse.items.url)."
        )
    return Parsed(entries, len(found))


def _html_items(text: str, selector: str) -> list[LexborNode]:
    nodes = LexborHTMLParser(text).css(selector)
    if not nodes:
        raise PageUnreadable(f"The items selector {selector!r} matched nothing on the page.")
    return list(nodes)


def _json_items(text: str, expression: str) -> list[Any]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise PageUnreadable(f"The page is not JSON ({exc}).") from None
    found = jmespath.search(expression, data)
    if not isinstance(found, list):
        kind = "nothing" if found is None else f"a {_json_type(found)}"
        raise PageUnreadable(f"The items expression {expression!r} gave {kind}, not a list.")
    return found


def _json_type(value: object) -> str:
    return {dict: "object", str: "string", bool: "boolean"}.get(type(value), "number")


def _html_value(node: LexborNode, rule: FieldRule) -> str | None:
    target = node.css_first(rule.expression) if rule.expression else node
    if target is None:
        return None
    if rule.attribute:
        return target.attributes.get(rule.attribute)
    return target.text(strip=True, separator=" ")


def _json_value(item: Any, rule: FieldRule) -> str | None:
    value = jmespath.search(rule.expression, item) if rule.expression else item
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    return str(value)


def _entries(found: Iterable[Any], items: ItemsRule, read: Reader, page_url: str) -> list[Entry]:
    patterns = _patterns(items)

    def value(rule: FieldRule | None, item: Any) -> str | None:
        if rule is None:
            return None
        raw = read(item, rule)
        if raw is None:
            return None
        pattern = patterns.get(id(rule))
        return raw.strip() or None if pattern is None else _first_group(pattern, raw)

    entries = []
    for item in found:
        url = _absolute(value(items.url, item), page_url)
        if url is None:
            continue
        ident = value(items.id, item)
        archive_id = f"{items.archive_prefix} {ident}" if ident and items.archive_prefix else None
        entries.append(Entry(url, value(items.title, item), ident, archive_id))
    return entries


def _patterns(items: ItemsRule) -> dict[int, LinearPattern]:
    rules = (items.url, items.title, items.id)
    return {id(r): compile_linear(r.regex) for r in rules if r is not None and r.regex}


def _first_group(pattern: LinearPattern, text: str) -> str | None:
    found: Any = pattern.search(text)
    if found is None:
        return None
    groups = [g for g in found.groups() if g]
    return groups[0] if groups else found.group(0) or None


def _absolute(url: str | None, page_url: str) -> str | None:
    """An http(s) URL resolved against the page, or None (``javascript:``, ``mailto:``...)."""
    url = (url or "").strip()
    if not url or any(c.isspace() for c in url):  # text read by mistake, not a link
        return None
    absolute = urljoin(page_url, url)
    return absolute if urlsplit(absolute).scheme in ("http", "https") else None
