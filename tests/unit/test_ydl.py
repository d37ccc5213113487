"""WarmYoutubeDL must load exactly the extractors yt-dlp itself would, in the same order."""

from __future__ import annotations

import yt_dlp

from app.downloads.ydl import WarmYoutubeDL


def extractor_names(ydl: yt_dlp.YoutubeDL) -> list[str]:
    return list(ydl._ies)


def test_default_extractors_match_yt_dlp() -> None:
    params = {"quiet": True}
    with yt_dlp.YoutubeDL(params) as plain, WarmYoutubeDL(params) as warm:
        assert extractor_names(warm) == extractor_names(plain)
        assert len(extractor_names(warm)) > 1000


def test_allowed_extractors_still_go_through_yt_dlp() -> None:
    params = {"quiet": True, "allowed_extractors": ["generic", "youtube"]}
    with yt_dlp.YoutubeDL(params) as plain, WarmYoutubeDL(params) as warm:
        assert extractor_names(warm) == extractor_names(plain) == ["Generic", "Youtube"]
