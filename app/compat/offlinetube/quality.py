"""OfflineTube's ``quality`` and ``download_type`` as yt-dlp options, and back.

A video quality is a height (``720p``, ``720``) or ``best``: the height is a sort
preference (``-S res:720``), so a video without that exact height still downloads at the
nearest one below it. An audio quality is a bitrate (``192``, ``192k``, ``192kbps``) or
``best``: the audio is extracted to MP3, as the original does. The options are the item's
``cli``, so an item added here reads back its quality wherever it is listed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from app.core.errors import InvalidInput

DownloadType = Literal["video", "audio"]

BEST = "best"
AUDIO_FORMAT = "mp3"
_HEIGHT = re.compile(r"(?P<height>\d{3,4})p?")
_BITRATE = re.compile(r"(?P<kbps>\d{2,3})\s*(?:k|kbps)?", re.IGNORECASE)
_RES_OPTION = re.compile(r"-S res:(?P<height>\d+)")
_AUDIO_OPTION = re.compile(r"--audio-quality (?P<kbps>\d+)K")


@dataclass(frozen=True, slots=True)
class Choice:
    download_type: DownloadType
    quality: str  # "best", "720p", "192kbps"
    cli: str  # the item's yt-dlp options

    @property
    def format_note(self) -> str:
        if self.download_type == "audio":
            rate = "best quality" if self.quality == BEST else self.quality
            return f"{AUDIO_FORMAT.upper()} audio, {rate}"
        return "best video" if self.quality == BEST else f"video up to {self.quality}"


def choose(download_type: str, quality: str) -> Choice:
    """Options for a request; an unknown type or quality is a 400."""
    text = quality.strip().lower() or BEST
    kind = download_type.strip().lower()
    if kind == "audio":
        return _audio(text)
    if kind == "video":
        return _video(text)
    raise InvalidInput("download_type must be 'video' or 'audio'.")


def _video(text: str) -> Choice:
    if text == BEST:
        return Choice("video", BEST, "")
    match = _HEIGHT.fullmatch(text)
    if match is None or not 144 <= int(match["height"]) <= 4320:
        raise InvalidInput("quality must be 'best' or a height such as '720p' (144p to 4320p).")
    height = int(match["height"])
    return Choice("video", f"{height}p", f"-S res:{height}")


def _audio(text: str) -> Choice:
    extract = f"-x --audio-format {AUDIO_FORMAT}"
    if text == BEST:
        return Choice("audio", BEST, f"{extract} --audio-quality 0")
    match = _BITRATE.fullmatch(text)
    if match is None or not 32 <= int(match["kbps"]) <= 320:
        raise InvalidInput("quality must be 'best' or a bitrate such as '192kbps' (32 to 320).")
    kbps = int(match["kbps"])
    return Choice("audio", f"{kbps}kbps", f"{extract} --audio-quality {kbps}K")


def describe(cli: str) -> Choice:
    """What an item's options download (items added elsewhere read as ``video``/``best``)."""
    if "-x" in cli.split():
        rate = _AUDIO_OPTION.search(cli)
        return Choice("audio", f"{rate['kbps']}kbps" if rate else BEST, cli)
    height = _RES_OPTION.search(cli)
    return Choice("video", f"{height['height']}p" if height else BEST, cli)
