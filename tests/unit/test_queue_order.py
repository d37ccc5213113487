"""Added items join the queue in the order they were submitted, whichever is identified
first: the order the store loads the queue in after a restart."""

from __future__ import annotations

from app.downloads.models import Item
from app.downloads.registry import QueuedItems


def test_an_item_identified_late_takes_its_submitted_place() -> None:
    queue = QueuedItems()
    first, second, third, fourth = (Item(url=f"https://x/{n}", timestamp=n) for n in range(4))
    for item in (first, third, fourth, second):  # the second was identified last
        queue.remember_in_order(item)
    assert [item.url for item in queue] == [f"https://x/{n}" for n in range(4)]
    later = Item(url="https://x/9", timestamp=9)
    queue.remember_in_order(later)  # after everything: appended
    assert [item.url for item in queue][-1] == "https://x/9"
