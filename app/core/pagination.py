"""The pagination envelope every list endpoint answers with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.core.errors import InvalidInput

# Far beyond any real list, and small enough that the offset fits SQLite's integers.
MAX_PAGE = 1_000_000_000


@dataclass(frozen=True, slots=True)
class Page:
    page: int
    per_page: int

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    def envelope(self, total: int) -> dict[str, Any]:
        total_pages = max(1, -(-total // self.per_page))  # an empty list is one page
        return {
            "page": self.page,
            "per_page": self.per_page,
            "total": total,
            "total_pages": total_pages,
            "has_next": self.page < total_pages,
            "has_prev": self.page > 1,
        }


def parse_page(
    page: str | None, per_page: str | None, *, default: int, maximum: int = 1000
) -> Page:
    """Reads ``page``/``per_page`` query values, with the seed's error messages."""
    try:
        number = int(page) if page not in (None, "") else 1
        size = int(per_page) if per_page not in (None, "") else default
    except ValueError:
        raise InvalidInput("page and per_page must be valid integers.") from None
    if number < 1:
        raise InvalidInput("page must be >= 1.")
    if number > MAX_PAGE:
        raise InvalidInput(f"page must be <= {MAX_PAGE}.")
    if not 1 <= size <= maximum:
        raise InvalidInput(f"per_page must be between 1 and {maximum}.")
    return Page(number, size)
