"""WarmYoutubeDL's shortcuts give what yt-dlp itself would: extractors, SSL, printing."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import ssl
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yt_dlp
from yt_dlp.downloader.common import FileDownloader

from app.ytdlp.ydl import MAX_BLOCK, WarmYoutubeDL, default_ssl_context, share_ssl_contexts
from tests.fixtures.site import FixtureSite

ROOT = Path(__file__).resolve().parents[2]


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


def test_read_size_adapts_as_yt_dlp_does_up_to_the_cap() -> None:
    WarmYoutubeDL({"quiet": True}).close()
    # A slow link: yt-dlp's own choice (the rate, within half and twice the last read).
    assert FileDownloader.best_block_size(1.0, 10_000) == 10_000
    assert FileDownloader.best_block_size(0.0001, 1024) == 2048
    # A fast one: yt-dlp would go on doubling to 4 MiB.
    assert FileDownloader.best_block_size(0.0001, MAX_BLOCK) == MAX_BLOCK
    assert FileDownloader.best_block_size(0.01, 4 * 1024 * 1024) == MAX_BLOCK


def test_a_large_file_arrives_whole_in_reads_of_at_most_the_cap(
    fixture_site: FixtureSite, tmp_path: Path
) -> None:
    size = 8 * 1024 * 1024
    fixture_site.library.large_file("capped.mp4", size)
    seen: list[int] = []
    params = {
        "quiet": True,
        "noprogress": True,
        "paths": {"home": str(tmp_path)},
        "outtmpl": {"default": "%(id)s.%(ext)s"},
        "progress_hooks": [lambda d: seen.append(d.get("downloaded_bytes") or 0)],
    }
    with WarmYoutubeDL(params) as ydl:
        ydl.download([fixture_site.url("/media/capped.mp4")])
    assert (tmp_path / "capped.mp4").stat().st_size == size
    steps = [b - a for a, b in itertools.pairwise(seen) if b > a]
    assert seen[-1] == size
    assert max(steps) <= MAX_BLOCK


# Reports ffmpeg's version as yt-dlp sees it, and how many times an ffmpeg was started.
FFMPEG_PROBE = """
import json, sys
started = []
sys.addaudithook(
    lambda e, a: started.append(1) if e == "subprocess.Popen" and "ffmpeg" in str(a[0]) else None
)
from yt_dlp.postprocessor.ffmpeg import FFmpegPostProcessor
from app.ytdlp.ydl import WarmYoutubeDL
with WarmYoutubeDL({"quiet": True, "cachedir": sys.argv[1], "ffmpeg_location": sys.argv[2]}) as ydl:
    versions, features = FFmpegPostProcessor.get_versions_and_features(ydl)
print(json.dumps({"versions": versions, "features": features, "started": len(started)}))
"""


def ffmpeg_seen(cache: Path, ffmpeg: Path) -> dict[str, Any]:
    """A new process's view (yt-dlp keeps the answer per process, so each test is one)."""
    command = [sys.executable, "-c", FFMPEG_PROBE, str(cache), str(ffmpeg)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=True)
    seen: dict[str, Any] = json.loads(result.stdout)
    return seen


def test_workers_ask_ffmpeg_its_version_once_until_it_changes(tmp_path: Path) -> None:
    (tmp_path / "bin").mkdir()
    for name in ("ffmpeg", "ffprobe"):
        system = shutil.which(name)
        assert system is not None
        shutil.copy2(Path(system).resolve(), tmp_path / "bin" / name)
    ffmpeg = tmp_path / "bin" / "ffmpeg"
    cache = tmp_path / "cache"
    first = ffmpeg_seen(cache, ffmpeg)
    assert first["started"] == 2  # ffmpeg and ffprobe
    assert first["versions"]["ffmpeg"]
    assert first["versions"]["ffprobe"]
    again = ffmpeg_seen(cache, ffmpeg)
    assert again == {**first, "started": 0}
    # Another executable at the same path (an upgrade) is asked again.
    stat = ffmpeg.stat()
    os.utime(ffmpeg, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert ffmpeg_seen(cache, ffmpeg) == {**first, "started": 1}


def test_a_missing_ffmpeg_is_not_remembered(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    missing = tmp_path / "bin" / "ffmpeg"
    assert ffmpeg_seen(cache, missing)["versions"] == {}
    assert not (cache / "tubestash-ffmpeg").exists()
