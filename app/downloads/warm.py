"""Imported once by the forkserver, so every forked child starts with yt-dlp ready.

Importing this module is its purpose: it pays yt-dlp's start-up (imports, plugin discovery,
extractor URL patterns) once in the forkserver instead of once per download.
"""

from __future__ import annotations

import yt_dlp
from yt_dlp.extractor import gen_extractor_classes

import app.downloads.child  # noqa: F401  (the children's code, ready before the fork)
import app.ytdlp.options  # noqa: F401


def _warm() -> None:
    with yt_dlp.YoutubeDL({"quiet": True, "no_warnings": True}):
        pass  # loads plugins
    for extractor in gen_extractor_classes():
        # suitable() compiles and caches each extractor's URL pattern in its class.
        extractor.suitable("https://example.invalid/")


_warm()
