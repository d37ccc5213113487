"""The items in the queue, in memory and in order, with the identities of their videos."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from app.core.pagination import Page
from app.downloads.models import Item
from app.downloads.store import Order, StatusFilter

Position = Literal["top", "bottom"]


class QueuedItems:
    def __init__(self) -> None:
        self._items: dict[str, Item] = {}
        self._identities: dict[tuple[str, str], str] = {}

    def __iter__(self) -> Iterator[Item]:
        return iter(list(self._items.values()))

    def __len__(self) -> int:
        return len(self._items)

    def get(self, uid: str) -> Item | None:
        return self._items.get(uid)

    def remember(self, item: Item) -> None:
        self._items[item.uid] = item
        if item.identity and not item.is_playlist:
            self._identities[item.identity] = item.uid

    def remember_in_order(self, item: Item) -> None:
        """Remembers an added item in the order it was submitted (its timestamp), ahead of
        items submitted after it that were identified sooner: the order the store loads
        the queue in after a restart."""
        later = 0
        for queued in reversed(self._items.values()):
            if queued.timestamp <= item.timestamp:
                break
            later += 1
        self.remember(item)
        if later:
            order = list(self._items)
            order.insert(len(order) - 1 - later, order.pop())
            self._items = {uid: self._items[uid] for uid in order}

    def forget(self, item: Item) -> None:
        self._items.pop(item.uid, None)
        if item.identity and self._identities.get(item.identity) == item.uid:
            del self._identities[item.identity]

    def move(self, uid: str, to: Position) -> None:
        item = self._items.pop(uid, None)
        if item is None:  # left the queue meanwhile
            return
        rest = self._items
        self._items = {uid: item, **rest} if to == "top" else {**rest, uid: item}

    def has_url(self, url: str) -> bool:
        return any(item.url == url for item in self._items.values())

    def urls(self) -> set[str]:
        return {item.url for item in self._items.values()}

    def identities(self) -> set[tuple[str, str]]:
        return set(self._identities)

    def duplicate_of(self, item: Item) -> Item | None:
        """The queued item of the same video, if any."""
        identity = item.identity
        uid = self._identities.get(identity) if identity else None
        return self._items.get(uid) if uid else None

    def matching(self, status: StatusFilter | None) -> list[Item]:
        items = list(self._items.values())
        if status is None:
            return items
        return [i for i in items if (i.status == status.status) != status.negate]

    def page(self, page: Page, order: Order, status: StatusFilter | None) -> tuple[int, list[Item]]:
        """The total of matching items and one page of them."""
        items = self.matching(status)
        if order == "DESC":
            items.reverse()
        return len(items), items[page.offset : page.offset + page.per_page]
