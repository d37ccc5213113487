"""What happens to downloads, as domain events: published by the queue and history.

An item event carries a copy of the item as it was when the event happened, so an outlet
that reads it later (a notification sent after a delay) sees that moment, not a newer one.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.events import DomainEvent
from app.downloads.models import Item, Status


@dataclass(frozen=True, eq=False)
class ItemEvent(DomainEvent):
    item: Item

    def __post_init__(self) -> None:
        object.__setattr__(self, "item", self.item.model_copy(deep=True))


@dataclass(frozen=True, eq=False)
class ItemAdded(ItemEvent):
    """A URL of an add (or a playlist's entry) was stored in the queue."""


@dataclass(frozen=True, eq=False)
class AddRefused(DomainEvent):
    """A URL of an add was not queued: a duplicate, or a condition skipped or broke it."""

    url: str
    preset: str
    why: str
    uid: str = ""  # the item the add's answer named, if it named one


@dataclass(frozen=True, eq=False)
class AddFailed(AddRefused):
    """A URL of an add could not be identified (extraction failed)."""


@dataclass(frozen=True, eq=False)
class AddSkipped(ItemEvent):
    """A URL of an add is in its preset's download archive: recorded in history as skipped."""

    why: str


@dataclass(frozen=True, eq=False)
class ItemStarted(ItemEvent):
    """The queue launched the item's download (it is preparing)."""


@dataclass(frozen=True, eq=False)
class ItemProgress(ItemEvent):
    """Download progress that changes no status (bytes, speed, eta)."""


@dataclass(frozen=True, eq=False)
class ItemUpdated(ItemEvent):
    """Any other change: a status step, an edit, a playlist's count of entries read."""


@dataclass(frozen=True, eq=False)
class ItemPaused(ItemEvent):
    """The item will not start (or was stopped) until it is started again."""


@dataclass(frozen=True, eq=False)
class ItemResumed(ItemEvent):
    """A paused item may start again."""


@dataclass(frozen=True, eq=False)
class ItemEnded(ItemEvent):
    """The item left the queue for history with its final status (see the subclasses)."""


@dataclass(frozen=True, eq=False)
class ItemCompleted(ItemEnded):
    """Downloaded (or, for a playlist, every entry queued)."""


@dataclass(frozen=True, eq=False)
class ItemFailed(ItemEnded):
    """The download (or the expansion) failed; ``item.error`` says why."""


@dataclass(frozen=True, eq=False)
class ItemCancelled(ItemEnded):
    """Cancelled by a user."""


@dataclass(frozen=True, eq=False)
class ItemSkipped(ItemEnded):
    """yt-dlp skipped it while downloading (e.g. already in the archive)."""


_ENDINGS: dict[Status | None, type[ItemEnded]] = {
    Status.FINISHED: ItemCompleted,
    Status.ERROR: ItemFailed,
    Status.CANCELLED: ItemCancelled,
    Status.SKIP: ItemSkipped,
}


def ended(item: Item) -> ItemEnded:
    """The event for an item that has just been moved to history with its final status."""
    return _ENDINGS.get(item.status, ItemEnded)(item)


@dataclass(frozen=True, eq=False)
class ItemReordered(ItemEvent):
    """A queued item was moved to the top or the bottom of the queue."""

    to: str  # "top" or "bottom"


@dataclass(frozen=True, eq=False)
class ItemDeleted(ItemEvent):
    """Deleted from the queue or from history."""


@dataclass(frozen=True, eq=False)
class QueuePaused(DomainEvent):
    """No download starts until the queue is resumed (running ones go on)."""


@dataclass(frozen=True, eq=False)
class QueueResumed(DomainEvent):
    """Downloads start again."""
