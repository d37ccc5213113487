"""WarmYoutubeDL's shortcuts give what yt-dlp itself would: extractors, SSL, printing."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
import yt_dlp

from app.ytdlp.ydl import WarmYoutubeDL, default_ssl_context, share_ssl_contexts
from tests.fixtures.site import FixtureSite


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


def ssl_contexts(ydl: yt_dlp.YoutubeDL) -> list[ssl.SSLContext]:
    return [handler._make_sslcontext() for handler in ydl._request_director.handlers.values()]


def test_request_handlers_share_ssl_contexts_configured_alike() -> None:
    share_ssl_contexts()
    with WarmYoutubeDL({"quiet": True}) as one, WarmYoutubeDL({"quiet": True}) as two:
        contexts = ssl_contexts(one) + ssl_contexts(two)
    assert len(contexts) >= 2
    assert all(context is contexts[0] for context in contexts)
    assert contexts[0] is default_ssl_context()
    assert contexts[0].verify_mode == ssl.CERT_REQUIRED
    assert contexts[0].check_hostname
    assert contexts[0].cert_store_stats()["x509_ca"] > 0


def test_an_unverified_context_stays_apart() -> None:
    share_ssl_contexts()
    with WarmYoutubeDL({"quiet": True, "nocheckcertificate": True}) as ydl:
        [context, *_] = ssl_contexts(ydl)
    assert context is not default_ssl_context()
    assert context.verify_mode == ssl.CERT_NONE
    assert not context.check_hostname


def test_print_templates_still_print_at_every_stage(
    fixture_site: FixtureSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    params = {
        "quiet": True,
        "noprogress": True,
        "paths": {"home": str(tmp_path)},
        "forceprint": {"before_dl": ["before %(id)s"], "after_move": ["moved %(title)s"]},
    }
    with WarmYoutubeDL(params) as ydl:
        ydl.extract_info(fixture_site.url("/watch/v-basic"))
    printed = capsys.readouterr().out.splitlines()
    assert printed == ["before v-basic", "moved Basic fixture video"]


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"forcetitle": True, "forceid": True}, ["Basic fixture video", "v-basic"]),
        ({"forcefilename": True}, ["{home}/Basic fixture video.mp4"]),
        (
            {"forceprint": {"video": ["%(id)s %(filename)s"]}},
            ["v-basic {home}/Basic fixture video.mp4"],
        ),
        ({}, []),
    ],
)
def test_video_printing_as_yt_dlp_does(
    fixture_site: FixtureSite,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: dict[str, Any],
    expected: list[str],
) -> None:
    """--get-* and --print still print; with neither, no file name is rendered for nothing."""
    params = {"quiet": True, "simulate": True, "paths": {"home": str(tmp_path)}, **flags}
    params["outtmpl"] = {"default": "%(title)s.%(ext)s"}
    with WarmYoutubeDL(params) as ydl:
        ydl.extract_info(fixture_site.url("/watch/v-basic"))
    assert capsys.readouterr().out.splitlines() == [e.format(home=tmp_path) for e in expected]
