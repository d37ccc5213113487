"""TubeArchivist's ``paginate`` object: exact ``last_page`` and ``next_pages``.

A CLI client pages until ``next_pages`` is empty, so both are computed from the total,
never guessed. ``page=0`` and ``page=1`` are the first page.

TubeArchivist lists through Elasticsearch, which counts and serves at most 10,000 hits
(``index_generic.Pagination.validate``): from there on ``total_hits`` is 10,000,
``max_hits`` is true and the last page is one before the page that would cross the
window; a page past it is a 404. Its clients know that shape, so the layer keeps it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from app.core.errors import InvalidInput

PAGE_SIZE = 12  # TubeArchivist's default page size
MAX_PAGE = 1_000_000
SPREAD = 5  # page links either side of the current one
MAX_HITS = 10_000  # Elasticsearch's result window, TubeArchivist's cap


@dataclass(frozen=True, slots=True)
class TaPage:
    current: int
    size: int
    params: str

    @property
    def offset(self) -> int:
        return (self.current - 1) * self.size

    def last_page(self, total: int) -> int:
        if total >= MAX_HITS:
            return max(1, math.ceil(MAX_HITS / self.size) - 1)
        return max(1, math.ceil(total / self.size))

    def paginate(self, total: int) -> dict[str, Any]:
        last = self.last_page(total)
        previous = [p for p in range(self.current - SPREAD, self.current) if p >= 1]
        return {
            "page_size": self.size,
            "page_from": self.offset,
            "prev_pages": previous or False,
            "current_page": self.current,
            "max_hits": total >= MAX_HITS,
            "params": self.params,
            "last_page": last,
            "next_pages": [
                p for p in range(self.current + 1, self.current + SPREAD + 1) if p <= last
            ],
            "total_hits": min(total, MAX_HITS),
        }


def page_of(request: web.Request) -> TaPage:
    text = request.query.get("page", "")
    try:
        number = int(text) if text else 0
    except ValueError:
        raise InvalidInput("page must be an integer.") from None
    if not 0 <= number <= MAX_PAGE:
        raise InvalidInput(f"page must be between 0 and {MAX_PAGE}.")
    others = [(k, v) for k, v in request.query.items() if k != "page"]
    return TaPage(max(number, 1), PAGE_SIZE, urlencode(others))
