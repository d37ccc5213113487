"""Kodi NFO documents (also read by Jellyfin and Emby) from a yt-dlp info dict: pure functions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from typing import Any, Literal

from app.core.errors import InvalidInput

Kind = Literal["tv", "movie"]


def build_nfo(info: dict[str, Any], kind: Kind) -> bytes:
    """The NFO for one video: ``<episodedetails>`` for tv, ``<movie>`` for movie."""
    released = release_date(info)
    if released is None:
        raise InvalidInput("Failed to collect NFO data: the video has no valid upload date.")
    studio = _text(info.get("channel")) or _text(info.get("uploader"))
    root = ET.Element("episodedetails" if kind == "tv" else "movie")
    _add(root, "title", _text(info.get("title")) or _text(info.get("id")))
    if kind == "tv":
        _add(root, "showtitle", studio)
    _add(root, "plot", _text(info.get("description")))
    if kind == "tv":
        _add(root, "aired", released.isoformat())
    _add(root, "premiered", released.isoformat())
    _add(root, "year", str(released.year))
    _add(root, "runtime", _minutes(info.get("duration")))
    _add(root, "studio", studio)
    video_id = _text(info.get("id"))
    if video_id:
        extractor = _text(info.get("extractor_key")) or _text(info.get("extractor"))
        unique = ET.SubElement(root, "uniqueid", type=extractor.lower(), default="true")
        unique.text = video_id
    _add(root, "thumb", _text(info.get("thumbnail")))
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def release_date(info: dict[str, Any]) -> date | None:
    """The upload (or release) day, falling back to the timestamps yt-dlp gives."""
    for key in ("upload_date", "release_date"):
        text = info.get(key)
        if isinstance(text, str) and len(text) == 8 and text.isdigit():
            try:
                return datetime.strptime(text, "%Y%m%d").date()
            except ValueError:
                continue
    for key in ("timestamp", "release_timestamp"):
        stamp = info.get(key)
        if isinstance(stamp, int | float) and not isinstance(stamp, bool):
            return datetime.fromtimestamp(stamp, tz=UTC).date()
    return None


def _minutes(duration: object) -> str:
    if not isinstance(duration, int | float) or isinstance(duration, bool) or duration <= 0:
        return ""
    # Kodi's runtime is whole minutes; a short clip still lasts "1", never "0".
    return str(max(1, round(duration / 60)))


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _add(parent: ET.Element, tag: str, text: str) -> None:
    if text:
        ET.SubElement(parent, tag).text = text
