"""A finished item (and what yt-dlp said of it) as library records: pure functions.

``catalog`` is the pick of ``app/ytdlp/catalog.py``: sent by the download job for new
downloads, or built from the ``.info.json`` beside an older file; empty when neither
exists, and then the item's own fields (title, description, extras) are all there is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from app.downloads.models import Item
from app.library.models import Channel, Comment, Playlist, Stream, Subtitle, Video


@dataclass(slots=True)
class Record:
    """Everything one finished download adds to the library."""

    video: Video
    downloaded_ns: int
    channel: Channel | None = None
    playlist: Playlist | None = None
    playlist_position: int | None = None
    subtitles_text: str = ""
    comments: list[Comment] = field(default_factory=list)


def iso_from_ns(ns: int) -> str:
    return datetime.fromtimestamp(ns / 1e9, tz=UTC).isoformat(timespec="seconds")


def iso_date(upload_date: Any) -> str | None:
    """yt-dlp's ``YYYYMMDD`` as ``YYYY-MM-DD``."""
    text = str(upload_date or "")
    if re.fullmatch(r"\d{8}", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return None


def record_of(item: Item, catalog: dict[str, Any], now_ns: int) -> Record | None:
    """The library's records for a finished item; None when it is no video of ours."""
    if not item.id or not item.filename or item.is_playlist:
        return None
    info = catalog
    extras = item.extras
    channel_name = _text(info.get("channel")) or extras.channel or extras.uploader
    channel_id = _text(info.get("channel_id")) or _text(info.get("uploader_id"))
    if channel_id is None and channel_name:
        channel_id = channel_name  # a site without channel ids: the name is the best key
    video = Video(
        video_id=item.id,
        extractor=item.extractor,
        item_id=item.uid,
        title=_text(info.get("title")) or item.title or item.id,
        description=_text(info.get("description")) or item.description or "",
        channel_id=channel_id,
        channel_name=channel_name,
        published=iso_date(info.get("upload_date")),
        downloaded=iso_from_ns(now_ns),
        duration=_number(info.get("duration")) or extras.duration,
        tags=list(info.get("tags") or []),
        categories=list(info.get("categories") or []),
        view_count=_int(info.get("view_count")),
        like_count=_int(info.get("like_count")),
        dislike_count=_int(info.get("dislike_count")),
        comment_count=_int(info.get("comment_count")),
        average_rating=_number(info.get("average_rating")),
        thumbnail=_text(info.get("thumbnail")) or extras.thumbnail,
        webpage_url=_text(info.get("webpage_url")) or item.url,
        file=item.filename,
        file_size=item.file_size,
        width=_int(info.get("width")),
        height=_int(info.get("height")),
        streams=[Stream.model_validate(s) for s in info.get("streams") or []],
        has_comments=bool(info.get("comments")),
    )
    record = Record(video=video, downloaded_ns=now_ns)
    record.comments = [Comment.model_validate(c) for c in info.get("comments") or []]
    if channel_id:
        record.channel = Channel(
            channel_id=channel_id,
            name=channel_name or channel_id,
            url=_text(info.get("channel_url")) or _text(info.get("uploader_url")),
            follower_count=_int(info.get("channel_follower_count")),
            last_refresh=video.downloaded,
            added=video.downloaded,
        )
    playlist_id = _text(info.get("playlist_id")) or extras.playlist_id
    if playlist_id:
        video.playlist_ids = [playlist_id]
        record.playlist = Playlist(
            playlist_id=playlist_id,
            title=_text(info.get("playlist_title")) or extras.playlist or playlist_id,
            channel_id=channel_id,
            channel_name=channel_name,
            last_refresh=video.downloaded,
            added=video.downloaded,
        )
        record.playlist_position = _int(info.get("playlist_index")) or extras.playlist_index
    return record


def with_subtitles(record: Record, found: list[tuple[Subtitle, str]]) -> Record:
    """The record with the subtitles read beside its file (their text is searchable)."""
    record.video.subtitles = [subtitle for subtitle, _ in found]
    record.subtitles_text = "\n".join(text for _, text in found if text)
    return record


def with_show(show: Channel | Playlist, details: dict[str, Any]) -> None:
    """A channel or playlist with what the task metadata step wrote of it."""
    show.description = _text(details.get("description")) or show.description
    show.url = _text(details.get("url")) or show.url
    show.thumbnail = _text(details.get("thumbnail")) or show.thumbnail
    if isinstance(show, Channel):
        show.banner = _text(details.get("banner")) or show.banner


def subtitle_entries(catalog: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in catalog.get("subtitles") or [] if isinstance(s, dict) and s.get("lang")]


_CUE_TIME = re.compile(r"^\s*[\d:.,]+\s*-->\s*[\d:.,]+.*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]{0,200}>")
_NOISE = re.compile(r"^(WEBVTT.*|NOTE.*|\d+|Kind:.*|Language:.*)$", re.MULTILINE)


def subtitle_text(raw: str) -> str:
    """A WebVTT or SRT file's spoken text: no header, numbers, timings or tags."""
    text = _CUE_TIME.sub("", raw)
    text = _NOISE.sub("", text)
    text = _TAG.sub("", text)
    lines: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if line and (not lines or lines[-1] != line):  # captions repeat rolling lines
            lines.append(line)
    return " ".join(lines)


def info_json_name(filename: str) -> str:
    """Where yt-dlp writes a video's ``.info.json``: beside it, without the media suffix."""
    path = PurePosixPath(filename)
    return str(path.with_name(path.stem + ".info.json"))


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, str | int) and str(value) else None


def _int(value: Any) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
