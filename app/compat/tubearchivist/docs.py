"""Library records as TubeArchivist's documents: pure functions.

Dates are ISO (``YYYY-MM-DD``; the ping says ``v0.4.0``, which tells clients so). Media and
image URLs are paths relative to the layer's root (``/media/...``, ``/cache/...``):
clients prepend their base URL and fetch them with their token.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from app.downloads.models import Item
from app.library.models import Channel, Comment, Playlist, Progress, Video

# What TubeArchivist's item views send beside ``data``: the parts of its config clients read.
CONFIG: dict[str, Any] = {
    "application": {"enable_cast": False, "enable_snapshot": True},
    "downloads": {"integrate_sponsorblock": True, "comment_max": None},
    "default_view": {"home": "grid", "channel": "list", "playlist": "grid"},
}


def media_url(path: str) -> str:
    return "/media/" + quote(path)


def thumb_url(video_id: str) -> str:
    return f"/cache/videos/{quote(video_id, safe='')}.jpg"


def channel_image(channel_id: str, kind: str) -> str:
    return f"/cache/channels/{quote(channel_id, safe='')}_{kind}.jpg"


def _date(iso: str | None) -> str | None:
    return iso[:10] if iso else None


def duration_str(seconds: float | None) -> str:
    total = int(seconds or 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h {minutes:02d}m {secs:02d}s" if hours else f"{minutes:02d}m {secs:02d}s"


def channel_doc(channel: Channel) -> dict[str, Any]:
    return {
        "channel_id": channel.channel_id,
        "channel_name": channel.name,
        "channel_description": channel.description or False,
        "channel_banner_url": channel_image(channel.channel_id, "banner"),
        "channel_thumb_url": channel_image(channel.channel_id, "thumb"),
        "channel_tvart_url": channel_image(channel.channel_id, "tvart"),
        "channel_last_refresh": _date(channel.last_refresh),
        "channel_subscribed": channel.subscribed,
        "channel_subs": channel.follower_count or 0,
        "channel_views": 0,
        "channel_tags": [],
        "date_downloaded": _date(channel.added),
        "active": True,
    }


def bare_channel(video: Video) -> Channel:
    """The channel a video names, when the library holds nothing more of it."""
    channel_id = video.channel_id or ""
    return Channel(channel_id=channel_id, name=video.channel_name or channel_id)


def video_doc(video: Video, channel: Channel, progress: Progress | None) -> dict[str, Any]:
    position = progress.position if progress else 0.0
    return {
        "youtube_id": video.video_id,
        "title": video.title,
        "description": video.description,
        "published": video.published,
        "date_downloaded": _date(video.downloaded),
        "vid_last_refresh": _date(video.last_refresh or video.downloaded),
        "active": True,
        "vid_thumb_url": thumb_url(video.video_id),
        "vid_type": "videos",
        "media_url": media_url(video.file) if video.file else None,
        "media_size": video.file_size or 0,
        "tags": video.tags,
        "category": video.categories,
        "channel": channel_doc(channel),
        "player": {
            "watched": bool(progress and progress.watched),
            "duration": int(video.duration or 0),
            "duration_str": duration_str(video.duration),
            "position": position,
        },
        "playlist": video.playlist_ids,
        "sponsorblock": None,
        "stats": {
            "view_count": video.view_count or 0,
            "like_count": video.like_count or 0,
            "dislike_count": video.dislike_count or 0,
            "average_rating": video.average_rating,
        },
        "streams": [s.model_dump() for s in video.streams],
        "subtitles": [
            {
                "ext": s.ext,
                "lang": s.lang,
                "name": s.name or s.lang,
                "source": "auto" if s.automatic else "user",
                "media_url": media_url(s.file) if s.file else None,
            }
            for s in video.subtitles
        ],
        "comment_count": video.comment_count,
    }


def playlist_doc(playlist: Playlist, entries: list[Video]) -> dict[str, Any]:
    return {
        "playlist_id": playlist.playlist_id,
        "playlist_name": playlist.title,
        "playlist_description": playlist.description or False,
        "playlist_channel": playlist.channel_name,
        "playlist_channel_id": playlist.channel_id,
        "playlist_thumbnail": thumb_url(entries[0].video_id) if entries else None,
        "playlist_subscribed": playlist.subscribed,
        "playlist_active": True,
        "playlist_type": "regular",
        "playlist_last_refresh": _date(playlist.last_refresh),
        "playlist_entries": [
            {
                "youtube_id": v.video_id,
                "title": v.title,
                "uploader": v.channel_name,
                "idx": index,
                "downloaded": True,
            }
            for index, v in enumerate(entries)
        ],
    }


def comment_threads(comments: list[Comment]) -> list[dict[str, Any]]:
    """Top-level comments, each with its replies (yt-dlp lists them flat with ``parent``)."""
    threads: dict[str, dict[str, Any]] = {}
    ordered: list[dict[str, Any]] = []
    for comment in comments:
        doc: dict[str, Any] = {
            "comment_id": comment.id,
            "comment_text": comment.text,
            "comment_timestamp": comment.timestamp,
            "comment_likecount": comment.like_count or 0,
            "comment_is_favorited": comment.is_favorited,
            "comment_author": comment.author,
            "comment_author_id": comment.author_id,
            "comment_author_thumbnail": comment.author_thumbnail,
            "comment_author_is_uploader": comment.author_is_uploader,
            "comment_parent": comment.parent or "root",
            "comment_replies": [],
        }
        parent = threads.get(comment.parent or "")
        if parent is not None and comment.parent not in (None, "root"):
            parent["comment_replies"].append(doc)
        else:
            ordered.append(doc)
            if comment.id:
                threads[comment.id] = doc
    return ordered


def download_doc(item: Item, status: str) -> dict[str, Any]:
    """A queue item as a TubeArchivist download-queue entry."""
    video_id = item.id or item.uid
    return {
        "youtube_id": video_id,
        "title": item.title or item.url,
        "channel_name": item.extras.channel or item.extras.uploader,
        "channel_id": item.extras.channel or item.extras.uploader,
        "channel_indexed": False,
        "duration": duration_str(item.extras.duration),
        "published": None,
        "status": status,
        "timestamp": item.timestamp // 1_000_000_000,
        "vid_thumb_url": item.extras.thumbnail,
        "vid_type": "videos",
        "auto_start": item.auto_start,
        "message": item.error or item.msg,
    }
