"""Search text as FTS5 queries, and spelling suggestions: pure functions.

A user's words never reach FTS5's query syntax as such: each is folded the way the
index folds it (lower case, no diacritics) and quoted, so ``AND``, ``NEAR`` or a stray
``"`` are only words.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

MAX_WORDS = 16
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """The query's words as the index holds them, at most ``MAX_WORDS``."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _WORD.findall(plain)[:MAX_WORDS]


def match_all(found: list[str]) -> str:
    """Every word, each as a prefix: ``fix vid`` finds "Fixture video"."""
    return " ".join(f'"{word}"*' for word in found)


def match_any(found: list[str]) -> str:
    """Any of the words (videos sharing more of them rank higher)."""
    return " OR ".join(f'"{word}"' for word in found)


def closest(word: str, candidates: list[tuple[str, int]], count: int = 3) -> list[str]:
    """Indexed terms spelt nearly like ``word``, the most common first among equals."""
    common = dict(candidates)
    near = difflib.get_close_matches(word, list(common), n=count * 3, cutoff=0.7)
    ranked = sorted(
        near,
        key=lambda t: (-round(difflib.SequenceMatcher(None, word, t).ratio(), 2), -common[t]),
    )
    return ranked[:count]
