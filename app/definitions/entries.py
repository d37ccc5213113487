"""What a handler finds at a URL. Defined here, below ``app.tasks``, so task definitions can
produce entries without importing the layer that schedules them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Entry:
    """One item found at a URL. ``archive_id`` is the download archive's line for it
    ("youtube abc123"), when it is known without fetching the item."""

    url: str
    title: str | None = None
    id: str | None = None
    archive_id: str | None = None
