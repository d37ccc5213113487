"""A random picture from the library, for the UI's background: a finished download's
thumbnail, from disk when yt-dlp wrote one beside the file, else its address (which the
UI fetches through the thumbnail proxy). No outside service is asked for anything."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.db import Database
from app.core.errors import InvalidInput
from app.core.paths import resolve_under

IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")

# Items are read from the downloads' table by a random rowid and onwards, so a pick costs
# an index step, not a scan of the history (ORDER BY RANDOM() would read every row).
_FROM = """
SELECT data FROM items
WHERE rowid {op} ? AND location = 'done' AND status = 'finished'
  AND json_extract(data, '$.extras.thumbnail') IS NOT NULL
ORDER BY rowid {order} LIMIT 1
"""


@dataclass(frozen=True, slots=True)
class Background:
    file: Path | None = None  # an image on disk, under the download path
    url: str | None = None  # the thumbnail's address


class Backgrounds:
    def __init__(self, db: Database, download_path: Path) -> None:
        self._db = db
        self._download_path = download_path

    async def pick(self) -> dict[str, Any] | None:
        """A random finished item (as stored) that has a thumbnail, or None."""
        top = await self._db.fetch_value("SELECT max(rowid) FROM items")
        if not top:
            return None
        start = random.randint(1, int(top))  # a background, not a secret
        for op, order in ((">=", "ASC"), ("<", "DESC")):
            row = await self._db.fetch_one(_FROM.format(op=op, order=order), (start,))
            if row is not None:
                data = json.loads(row["data"])
                return data if isinstance(data, dict) else None
        return None


def choose(item: dict[str, Any], download_path: Path) -> Background | None:
    """Where the item's picture is. Checks the disk: run it off the loop."""
    filename = item.get("filename")
    if isinstance(filename, str) and filename:
        try:
            media = resolve_under(download_path, filename, "filename")
        except InvalidInput:
            media = None
        for suffix in IMAGE_SUFFIXES if media is not None else ():
            image = _sibling(media, suffix, download_path)
            if image is not None:
                return Background(file=image)
    thumbnail = (item.get("extras") or {}).get("thumbnail")
    if isinstance(thumbnail, str) and thumbnail.startswith(("http://", "https://")):
        return Background(url=thumbnail)
    return None


def _sibling(media: Path | None, suffix: str, download_path: Path) -> Path | None:
    """The image beside the media file, if it is there and (symlinks resolved) under the
    download path."""
    if media is None:
        return None
    image = media.with_suffix(suffix)
    try:
        relative = image.relative_to(download_path.resolve()).as_posix()
        checked = resolve_under(download_path, relative)
    except (InvalidInput, ValueError):
        return None
    return checked if checked.is_file() else None
