"""What a file is, from its name: the browser's ``content_type`` and a MIME type."""

from __future__ import annotations

import mimetypes

VIDEO = frozenset({"avi", "ts", "mkv", "mp4", "mpv", "ogm", "m4v", "webm", "m4b", "mov", "flv"})
AUDIO = frozenset({"mp3", "flac", "aac", "opus", "wav", "m4a", "ogg", "oga"})
SUBTITLE = frozenset({"srt", "vtt", "ass", "ssa", "smi", "sub", "idx", "ttml", "lrc"})
IMAGE = frozenset({"jpg", "jpeg", "png", "gif", "bmp", "webp", "avif"})
TEXT = frozenset({"txt", "md", "yml", "yaml", "description", "plexmatch", "log"})
METADATA = frozenset({"nfo", "json", "torrent", "xml"})
# Subtitles a player can use (WebVTT, or converted from these).
PLAYABLE_SUBTITLES = frozenset({"srt", "vtt", "ass"})

_KINDS = (
    ("video", VIDEO),
    ("audio", AUDIO),
    ("subtitle", SUBTITLE),
    ("image", IMAGE),
    ("metadata", METADATA),
    ("text", TEXT),
)
# Sidecar images that belong to a whole folder (media centres' names), not to one file.
FOLDER_IMAGES = ("poster", "thumbnail", "artwork", "cover", "fanart")

_MIME = {
    "mkv": "video/x-matroska",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "m4v": "video/mp4",
    "ts": "video/mp2t",
    "m4a": "audio/mp4",
    "opus": "audio/ogg",
    "vtt": "text/vtt",
    "srt": "application/x-subrip",
    "ass": "text/x-ssa",
    "nfo": "text/xml",
    "webp": "image/webp",
    "avif": "image/avif",
}
# ffprobe's format names, as a <video> element wants them.
_FORMAT_MIME = {
    "matroska": "video/x-matroska",
    "webm": "video/webm",
    "mp4": "video/mp4",
    "mpegts": "video/mp2t",
}


def extension(name: str) -> str:
    return name.rpartition(".")[2].lower() if "." in name else ""


def content_type(name: str, is_dir: bool) -> str:
    """``video|audio|subtitle|image|text|metadata``, ``dir``, or ``download`` (anything else)."""
    if is_dir:
        return "dir"
    ext = extension(name)
    for kind, extensions in _KINDS:
        if ext in extensions:
            return kind
    return "download"


def mime_of(name: str) -> str:
    ext = extension(name)
    if ext in _MIME:
        return _MIME[ext]
    guessed, _ = mimetypes.guess_type(name, strict=False)
    return guessed or "application/octet-stream"


def mime_from_probe(format_name: str, name: str) -> str:
    """The MIME type ffprobe's container names (the last known one wins: ``mov,mp4,...``)."""
    found = [_FORMAT_MIME[f.strip()] for f in format_name.split(",") if f.strip() in _FORMAT_MIME]
    return found[-1] if found else mime_of(name)
