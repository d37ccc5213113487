"""What the library keeps of a downloaded video's info: picked once, in the worker.

yt-dlp's processed info holds everything a media library shows (channel, playlist, tags,
streams, subtitles, comments when the preset asked for them); the download job sends this
pick beside its summary, so the library never extracts the video again. A pure function of
the info dict: no I/O, bounded sizes (a video with 50,000 comments keeps the first ones).
"""

from __future__ import annotations

from typing import Any

MAX_DESCRIPTION = 50_000
MAX_COMMENTS = 500
MAX_COMMENT_TEXT = 5_000
MAX_TAGS = 200

_SCALARS = (
    "id",
    "title",
    "channel",
    "channel_id",
    "channel_url",
    "channel_follower_count",
    "uploader",
    "uploader_id",
    "uploader_url",
    "playlist_id",
    "playlist_title",
    "playlist_index",
    "upload_date",
    "timestamp",
    "duration",
    "view_count",
    "like_count",
    "dislike_count",
    "comment_count",
    "average_rating",
    "age_limit",
    "thumbnail",
    "webpage_url",
    "extractor_key",
    "width",
    "height",
    "fps",
    "vcodec",
    "acodec",
    "ext",
    "live_status",
)
_COMMENT_FIELDS = (
    "id",
    "author",
    "author_id",
    "author_thumbnail",
    "timestamp",
    "like_count",
    "is_favorited",
    "author_is_uploader",
    "parent",
)


def catalog(info: dict[str, Any]) -> dict[str, Any]:
    """The library's fields of a processed info dict."""
    picked = {key: info[key] for key in _SCALARS if _plain(info.get(key))}
    description = info.get("description")
    if isinstance(description, str):
        picked["description"] = description[:MAX_DESCRIPTION]
    for key in ("tags", "categories"):
        values = info.get(key)
        if isinstance(values, list):
            picked[key] = [str(value) for value in values[:MAX_TAGS]]
    picked["streams"] = _streams(info)
    picked["subtitles"] = _subtitles(info)
    comments = info.get("comments")
    if isinstance(comments, list):
        picked["comments"] = [_comment(c) for c in comments[:MAX_COMMENTS] if isinstance(c, dict)]
    return picked


def _plain(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _streams(info: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per downloaded stream (video first), as TubeArchivist lists them."""
    formats = info.get("requested_formats") or [info]
    streams = []
    for fmt in formats:
        if not isinstance(fmt, dict):
            continue
        vcodec, acodec = fmt.get("vcodec"), fmt.get("acodec")
        if vcodec and vcodec != "none":
            streams.append(
                {
                    "type": "video",
                    "codec": vcodec,
                    "width": fmt.get("width"),
                    "height": fmt.get("height"),
                    "bitrate": fmt.get("tbr") or fmt.get("vbr"),
                }
            )
        if acodec and acodec != "none":
            streams.append({"type": "audio", "codec": acodec, "bitrate": fmt.get("abr")})
    for index, stream in enumerate(streams):
        stream["index"] = index
    return streams


def _subtitles(info: dict[str, Any]) -> list[dict[str, Any]]:
    """The subtitles written beside the file (their text is indexed by the library)."""
    requested = info.get("requested_subtitles") or {}
    found = []
    for lang, sub in requested.items():
        if isinstance(sub, dict):
            found.append(
                {
                    "lang": str(lang),
                    "ext": sub.get("ext"),
                    "name": sub.get("name"),
                    "filepath": sub.get("filepath"),
                    "automatic": lang not in (info.get("subtitles") or {}),
                }
            )
    return found


def _comment(comment: dict[str, Any]) -> dict[str, Any]:
    picked = {key: comment[key] for key in _COMMENT_FIELDS if _plain(comment.get(key))}
    text = comment.get("text")
    picked["text"] = text[:MAX_COMMENT_TEXT] if isinstance(text, str) else ""
    return picked
