"""What counts as an image: the upstream's word for it, then its first bytes.

Only raster formats browsers show are let through; SVG is refused because it is a document
that can carry scripts, and this answer comes from the server's own origin.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import AppError

# Types an upstream may name and still be sniffed: CDNs often send no type or a generic one.
GENERIC_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})
SNIFF_BYTES = 16


class NotAnImage(AppError):
    status = 415


@dataclass(frozen=True, slots=True)
class Image:
    body: bytes
    content_type: str


def sniff(head: bytes) -> str | None:
    """The image type the first bytes announce, or None for anything else."""
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"avif", b"avis"):
        return "image/avif"
    return None


def check_declared(content_type: str, url: str) -> None:
    """Refuses an answer whose declared type is plainly not a raster image."""
    media = content_type.split(";", 1)[0].strip().lower()
    if media in GENERIC_TYPES:
        return
    if not media.startswith("image/") or media.startswith("image/svg"):
        raise NotAnImage(f"{url} is not an image (it is {media[:100]}).")


def as_image(body: bytes, url: str) -> Image:
    kind = sniff(body[:SNIFF_BYTES])
    if kind is None:
        raise NotAnImage(f"{url} is not an image of a known kind (JPEG, PNG, GIF, WebP, AVIF).")
    return Image(body, kind)
