"""Tubestash's items and yt-dlp's infos in OfflineTube's shapes (pure functions)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from app.compat.offlinetube.quality import describe
from app.downloads.models import Item, Status

STATUSES: dict[Status | None, str] = {
    None: "pending",
    Status.PENDING: "pending",
    Status.PREPARING: "downloading",
    Status.DOWNLOADING: "downloading",
    Status.POSTPROCESSING: "processing",
    Status.FINISHED: "completed",
    Status.ERROR: "error",
    Status.CANCELLED: "cancelled",
    Status.SKIP: "error",  # nothing was downloaded: the reason is the error message
}


def iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, tz=UTC).isoformat()


def download_of(item: Item, completed_at: float | None = None) -> dict[str, Any]:
    """One download as COMPAT.md lists its fields. ``completed_at``: the file's mtime."""
    choice = describe(item.cli)
    status = STATUSES[item.status]
    return {
        "id": item.uid,
        "url": item.url,
        "title": item.title or item.url,
        "thumbnail": f"/api/thumbnails/{item.uid}",
        "status": status,
        "progress": _progress(item, status),
        "speed": item.speed,
        "eta": int(item.eta) if item.eta is not None else None,
        "filesize": item.file_size or item.total_bytes,
        "downloaded_bytes": item.downloaded_bytes,
        "format_note": choice.format_note,
        # The playlist's own item, and each of its entries, as the original's tasks were.
        "is_playlist": item.is_playlist or item.extras.playlist_index is not None,
        "playlist_index": item.extras.playlist_index,
        "playlist_total": item.extras.entries_total or _extra_int(item, "playlist_count"),
        "filename": item.filename,
        "quality": choice.quality,
        "download_type": choice.download_type,
        "error_message": _error(item),
        "created_at": iso(item.timestamp / 1e9),
        "completed_at": iso(completed_at) if completed_at is not None else None,
    }


def _extra_int(item: Item, name: str) -> int | None:
    value = (item.extras.model_extra or {}).get(name)
    return value if isinstance(value, int) else None


def _progress(item: Item, status: str) -> float:
    if status == "completed":
        return 100.0
    return round(min(max(item.percent or 0.0, 0.0), 100.0), 1)


def _error(item: Item) -> str | None:
    if item.status == Status.SKIP:
        return f"Skipped: {item.msg or 'nothing to download'}"
    if item.status == Status.ERROR:
        return item.error or item.msg or "unknown error"
    return None


def result_of(entry: dict[str, Any]) -> dict[str, Any]:
    """A search or trending result: the original's fields, filled from a flat entry."""
    thumbnails = entry.get("thumbnails") or []
    thumbnail = entry.get("thumbnail") or (thumbnails[-1].get("url") if thumbnails else None)
    return {
        "id": entry.get("id") or "",
        "title": entry.get("title") or entry.get("url") or "",
        "thumbnail": thumbnail,
        "duration": entry.get("duration") or 0,
        "uploader": entry.get("uploader") or entry.get("channel") or "",
        "view_count": entry.get("view_count") or 0,
        "url": entry.get("webpage_url") or entry.get("url") or "",
    }


def info_of(info: dict[str, Any], url: str) -> dict[str, Any]:
    """``POST /api/info``: the video and its formats, as the original listed them."""
    return {
        **result_of({**info, "webpage_url": info.get("webpage_url") or url}),
        "description": info.get("description") or "",
        "duration_formatted": duration_text(info.get("duration")),
        "is_live": bool(info.get("is_live")),
        "is_playlist": info.get("_type") == "playlist",
        "formats": [format_of(f) for f in info.get("formats") or [] if isinstance(f, dict)],
    }


def format_of(fmt: dict[str, Any]) -> dict[str, Any]:
    size = fmt.get("filesize") or fmt.get("filesize_approx") or 0
    height, width = fmt.get("height"), fmt.get("width")
    vcodec, acodec = fmt.get("vcodec") or "none", fmt.get("acodec") or "none"
    return {
        "format_id": fmt.get("format_id") or "",
        "ext": fmt.get("ext") or "",
        "resolution": f"{width or 0}x{height}" if height else "audio only",
        "height": height,
        "width": width,
        "fps": fmt.get("fps") or 0,
        "filesize": size,
        "filesize_formatted": size_text(size),
        "vcodec": vcodec,
        "acodec": acodec,
        "has_video": vcodec != "none",
        "has_audio": acodec != "none",
        "tbr": fmt.get("tbr"),
        "format_note": fmt.get("format_note") or "",
    }


def size_text(size: float | None) -> str:
    if not size:
        return "N/A"
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"


def duration_text(seconds: float | None) -> str:
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
