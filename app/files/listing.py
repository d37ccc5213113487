"""Folder listings for the file browser: one ``os.scandir`` per folder change, not per page.

A listing is every visible entry of one folder with the stat its ``DirEntry`` gave, kept
while the folder's own stat (inode, mtime, ctime, size) is unchanged, so a page of a folder
of 100,000 files is a slice of a list sorted once per sort key. What makes it safe:

- a folder changed within ``RACY_NS`` of its scan may have changed again in the same clock
  tick (file systems stamp coarsely), so that scan is used once and not kept;
- a file that grows in place does not touch its folder's stat, so no listing is older
  than ``MAX_AGE_NS``;
- small folders are cheaper to scan than to trust: below ``CACHE_FROM`` entries each
  request scans again;
- the cache holds at most ``MAX_CACHED_ENTRIES`` entries over all folders (least recently
  used first out). Everything here runs in a worker thread (``FileService``), never on the
  loop.
"""

from __future__ import annotations

import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, NamedTuple

from app.core.paths import is_under
from app.files.kinds import content_type, mime_of

SortBy = Literal["name", "size", "date", "type"]
SortOrder = Literal["asc", "desc"]

RACY_NS = 2_000_000_000
MAX_AGE_NS = 300_000_000_000
CACHE_FROM = 1000
MAX_CACHED_ENTRIES = 500_000
SEARCHES_KEPT = 8  # filtered orders kept per listing (a user paging through results)


class Entry(NamedTuple):  # a tuple: made 100,000 times per scan, cheaply
    name: str
    folded: str  # the name casefolded: what sorting and search compare
    is_dir: bool
    is_symlink: bool
    size: int
    mtime: float
    ctime: float
    kind: str  # the browser's content_type


Stamp = tuple[int, int, int, int, int]
_KEYS: dict[str, Callable[[Entry], Any]] = {
    "name": lambda e: (e.folded, e.name),
    "size": lambda e: (e.size, e.folded, e.name),
    "date": lambda e: (e.mtime, e.folded, e.name),
    "type": lambda e: (e.kind, e.folded, e.name),
}


@dataclass
class Listing:
    """One scan of one folder; sorted and filtered orders are made on first use and kept."""

    entries: list[Entry]
    stamp: Stamp
    scanned_ns: int
    trusted: bool  # not racy: may be served again while the folder's stamp holds
    _orders: dict[tuple[str, str, str], list[Entry]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def ordered(self, sort_by: SortBy, order: SortOrder, search: str = "") -> list[Entry]:
        """Folders first, then files, each by ``sort_by``; ``search`` keeps names holding it."""
        key = (sort_by, order, search)
        with self._lock:
            found = self._orders.get(key)
        if found is not None:
            return found
        if search:
            base = self.ordered(sort_by, order)
            found = [e for e in base if search in e.folded]
        else:
            found = _sorted(self.entries, sort_by, order)
        with self._lock:
            searches = [k for k in self._orders if k[2]]
            if search and len(searches) >= SEARCHES_KEPT:
                del self._orders[searches[0]]
            self._orders[key] = found
        return found


def _sorted(entries: list[Entry], sort_by: SortBy, order: SortOrder) -> list[Entry]:
    key = _KEYS[sort_by]
    reverse = order == "desc"
    dirs = sorted((e for e in entries if e.is_dir), key=key, reverse=reverse)
    files = sorted((e for e in entries if not e.is_dir), key=key, reverse=reverse)
    return dirs + files


def folder_stamp(folder: Path) -> Stamp:
    st = folder.stat()
    return (st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size)


def scan(root: Path, folder: Path) -> Listing:
    """Every visible entry of ``folder``: no dot-files, no links that leave ``root`` or lead
    nowhere, nothing but files and folders."""
    stamp = folder_stamp(folder)
    started = time.time_ns()
    entries = []
    with os.scandir(folder) as found:
        for item in found:
            entry = _entry(root, item)
            if entry is not None:
                entries.append(entry)
    trusted = started - stamp[2] > RACY_NS
    return Listing(entries, stamp, started, trusted)


def _entry(root: Path, item: os.DirEntry[str]) -> Entry | None:
    if item.name.startswith("."):
        return None
    try:
        link = item.is_symlink()
        if link and not is_under(root, Path(os.path.realpath(item.path))):
            return None
        st = item.stat()  # follows a link (inside the root) to what it names
        is_dir = item.is_dir()
    except OSError:  # gone since the scan began, or a broken link
        return None
    if not is_dir and not item.is_file():
        return None  # sockets, pipes, devices
    name = item.name
    return Entry(
        name=name,
        folded=name.casefold(),
        is_dir=is_dir,
        is_symlink=link,
        size=st.st_size,
        mtime=st.st_mtime,
        ctime=st.st_ctime,
        kind=content_type(name, is_dir),
    )


class ListingCache:
    """Listings of large folders, by resolved path; thread-safe, bounded by entry count."""

    def __init__(self, root: Path, max_entries: int = MAX_CACHED_ENTRIES) -> None:
        self._root = root.resolve()
        self._max_entries = max_entries
        self._listings: OrderedDict[Path, Listing] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()
        self._scanning: dict[Path, threading.Lock] = {}

    def get(self, folder: Path) -> Listing:
        """The folder's listing: kept if still true, else scanned (once, however many ask)."""
        cached = self._fresh(folder, folder_stamp(folder))
        if cached is not None:
            return cached
        with self._lock:
            scanning = self._scanning.setdefault(folder, threading.Lock())
        with scanning:  # a second caller waits for the first one's scan, then uses it
            cached = self._fresh(folder, folder_stamp(folder))
            if cached is not None:
                return cached
            listing = scan(self._root, folder)
            self._keep(folder, listing)
        with self._lock:
            self._scanning.pop(folder, None)
        return listing

    def forget(self, folder: Path) -> None:
        """Drops a folder's listing (a file action changed it)."""
        with self._lock:
            dropped = self._listings.pop(folder, None)
            if dropped is not None:
                self._held -= len(dropped.entries)

    def _fresh(self, folder: Path, stamp: Stamp) -> Listing | None:
        with self._lock:
            listing = self._listings.get(folder)
            if listing is None:
                return None
            young = time.time_ns() - listing.scanned_ns < MAX_AGE_NS
            if listing.stamp == stamp and young:
                self._listings.move_to_end(folder)
                return listing
        self.forget(folder)
        return None

    def _keep(self, folder: Path, listing: Listing) -> None:
        size = len(listing.entries)
        if not listing.trusted or size < CACHE_FROM or size > self._max_entries:
            return
        self.forget(folder)
        with self._lock:
            while self._listings and self._held + size > self._max_entries:
                _, old = self._listings.popitem(last=False)
                self._held -= len(old.entries)
            self._listings[folder] = listing
            self._held += size


def iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=UTC).isoformat()


def public(entry: Entry, folder: str) -> dict[str, Any]:
    """An entry as the browser API shows it; ``folder`` is its folder from the root
    (``""`` for the root itself)."""
    return {
        "type": "dir" if entry.is_dir else "file",
        "content_type": entry.kind,
        "name": entry.name,
        "path": f"/{folder}/{entry.name}" if folder else f"/{entry.name}",
        "size": entry.size,
        "mime": "directory" if entry.is_dir else mime_of(entry.name),
        "mtime": iso(entry.mtime),
        "ctime": iso(entry.ctime),
        "is_dir": entry.is_dir,
        "is_file": not entry.is_dir,
        "is_symlink": entry.is_symlink,
    }
