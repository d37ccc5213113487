"""Imported once by the forkserver, so every forked child starts with yt-dlp ready.

Importing this module is its purpose: it pays yt-dlp's start-up (imports and extractor URL
patterns) once in the forkserver instead of once per download. Plugins are left to each
child: Python 3.11's forkserver preloads before it has the parent's ``sys.path``, so
plugins on that path (``yt_dlp_plugins`` packages) are only visible after the fork.
"""

from __future__ import annotations

from yt_dlp.extractor import gen_extractor_classes

import app.ytdlp.jobs
import app.ytdlp.options  # noqa: F401
from app.ytdlp.ydl import default_ssl_context, share_ssl_contexts

# Lazy extractors import their real module on first use (~0.1 s each); these are the ones
# nearly every download reaches: the generic one (direct files, pages) and YouTube.
COMMON_EXTRACTORS = ("GenericIE", "YoutubeIE", "YoutubeTabIE")


def _warm() -> None:
    share_ssl_contexts()
    # Every worker inherits the usual context with its certificates already loaded (not
    # through a YoutubeDL: one built here would load plugins before their path is known).
    default_ssl_context()
    for extractor in gen_extractor_classes():
        # suitable() compiles and caches each extractor's URL pattern in its class.
        extractor.suitable("https://example.invalid/")
        if extractor.__name__ in COMMON_EXTRACTORS:
            getattr(extractor, "real_class", extractor)


_warm()
