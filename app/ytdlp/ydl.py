"""The YoutubeDL that workers use: yt-dlp's own, with a cheaper start and less idle work.

A worker builds one YoutubeDL per job, many per process, so what yt-dlp recomputes for
every instance (the extractor list, the certificate store, print templates nobody asked
for) is done once per process here, and what it asks once per process (ffmpeg's version)
once per server start. Each shortcut gives yt-dlp's own result; large downloads read in
cache-sized blocks (the same bytes, less copying).
"""

from __future__ import annotations

import functools
import hashlib
import shutil
import ssl
from pathlib import Path
from typing import Any

import yt_dlp
from yt_dlp.downloader.common import FileDownloader
from yt_dlp.extractor import gen_extractor_classes
from yt_dlp.extractor.common import UnsupportedURLIE
from yt_dlp.networking._helper import make_ssl_context
from yt_dlp.networking.common import RequestHandler
from yt_dlp.postprocessor.ffmpeg import FFmpegPostProcessor


class WarmYoutubeDL(yt_dlp.YoutubeDL):  # type: ignore[misc]
    def __init__(self, params: dict[str, Any] | None = None, auto_init: bool = True) -> None:
        cap_block_size()
        share_ffmpeg_versions()
        super().__init__(params, auto_init)

    def add_default_info_extractors(self) -> None:
        """The default extractor list, built once per process and set of extractors.

        With ``allowed_extractors`` unset, yt-dlp resolves the alias ``default`` through
        ``orderedSet``, which is quadratic over ~1,800 names; the names are already unique
        dict keys, so the result is the same list in the same order. Any other
        ``allowed_extractors`` goes through yt-dlp's own code.
        """
        if self.params.get("allowed_extractors") not in (None, ["default"]):
            super().add_default_info_extractors()
            return
        # Keyed by the classes themselves: plugins loaded later change the key.
        self._ies.update(_enabled_extractors(tuple(gen_extractor_classes())))
        end = UnsupportedURLIE()
        if end._ENABLED:
            self.add_info_extractor(end)

    def _forceprint(self, key: str, info_dict: Any) -> Any:
        # yt-dlp renders the formats, thumbnails and subtitles tables and the file name at
        # every stage, and for every entry of a flat playlist, before it looks whether
        # anything is to be printed there.
        if self.params["forceprint"].get(key) or self.params["print_to_file"].get(key):
            return super()._forceprint(key, info_dict)
        if key != "video":
            return None  # run_all_pps, the only caller for these keys, ignores the result
        if any(self.params.get(flag) for flag in _FORCED_FIELDS):
            return super()._forceprint(key, info_dict)
        # __forced_printings reads the copy only for the --get-* flags above.
        return None if info_dict is None else info_dict.copy()


# The --get-* flags: __forced_printings prints these fields of the copy _forceprint makes.
_FORCED_FIELDS = (
    "forcetitle",
    "forceid",
    "forceurl",
    "forcethumbnail",
    "forcedescription",
    "forcefilename",
    "forceduration",
    "forceformat",
    "forcejson",
)


@functools.cache
def _enabled_extractors(classes: tuple[Any, ...]) -> dict[str, Any]:
    by_name = {ie.IE_NAME.lower(): ie for ie in classes}
    return {ie.ie_key(): ie for ie in by_name.values() if ie._ENABLED}


def share_ssl_contexts() -> None:
    """Request handlers of one process share SSL contexts that are configured alike.

    yt-dlp builds a context, loading the whole certificate bundle (~30 ms), for every
    request handler of every YoutubeDL, even one that only ever speaks plain HTTP. An
    ``SSLContext`` is made to be shared by many connections, and yt-dlp never changes one
    after building it. Contexts with a client certificate are built afresh each time.
    """
    own = RequestHandler._make_sslcontext
    if getattr(own, "shared", False):
        return

    def shared(handler: RequestHandler, legacy_ssl_support: bool | None = None) -> ssl.SSLContext:
        if handler._client_cert:
            context: ssl.SSLContext = own(handler, legacy_ssl_support)
            return context
        legacy = handler.legacy_ssl_support if legacy_ssl_support is None else legacy_ssl_support
        return _context(bool(handler.verify), bool(legacy), not handler.prefer_system_certs)

    shared.shared = True  # type: ignore[attr-defined]
    RequestHandler._make_sslcontext = shared


def default_ssl_context() -> ssl.SSLContext:
    """The context of a request handler with yt-dlp's default settings."""
    return _context(True, False, True)  # positional, as the cache key of shared()


@functools.cache
def _context(verify: bool, legacy: bool, use_certifi: bool) -> ssl.SSLContext:
    # The same call as RequestHandler._make_sslcontext makes, less the client certificate.
    context: ssl.SSLContext = make_ssl_context(
        verify=verify, legacy_support=legacy, use_certifi=use_certifi
    )
    return context


# yt-dlp grows a download's read size towards one second of data, up to 4 MiB a read: on a
# fast link every read and write then walks a buffer larger than the CPU's caches. Reading
# and writing 200 MB over loopback took 0.36-0.45 s in 4 MiB blocks, 0.12-0.23 s in 64-256
# KiB ones (curl, 16-100 KiB at a time: 0.26-0.29 s); see bench/README.md, 2026-12-02.
MAX_BLOCK = 256 * 1024


def cap_block_size() -> None:
    """yt-dlp's adaptive read size, never above ``MAX_BLOCK`` (slow links: unchanged).

    ``--buffer-size`` with ``--no-resize-buffer`` still fixes the size, as in yt-dlp.
    """
    own = FileDownloader.best_block_size
    if getattr(own, "capped", False):
        return

    def capped(elapsed_time: float, bytes: int) -> int:
        return min(int(own(elapsed_time, bytes)), MAX_BLOCK)

    capped.capped = True  # type: ignore[attr-defined]
    FileDownloader.best_block_size = staticmethod(capped)


# Where the answers of ``ffmpeg -bsfs`` are kept in yt-dlp's cache, shared by the workers.
FFMPEG_SECTION = "tubestash-ffmpeg"


def share_ffmpeg_versions() -> None:
    """Workers learn ffmpeg's version and features from one another.

    yt-dlp runs ``ffmpeg -bsfs`` once per process to decide whether it can merge formats,
    before even a plain file's download: ~60 ms of CPU (loading every libav library) in
    each new worker, more than the rest of a small file's job. The answer is kept in
    yt-dlp's cache (workers: under the temp root, cleared at each server start), keyed by
    the executable's path, inode, size and modification time, so a changed ffmpeg is asked
    again. ``--no-cache-dir`` asks every time, as yt-dlp does.
    """
    own = FFmpegPostProcessor._get_ffmpeg_version
    if getattr(own, "shared", False):
        return

    def shared(pp: Any, prog: str) -> Any:
        path = pp._paths.get(prog)
        ydl = pp._downloader
        key = _executable_key(path) if path not in pp._version_cache and ydl else None
        if key is None:
            return own(pp, prog)
        known = ydl.cache.load(FFMPEG_SECTION, key)
        if isinstance(known, dict) and isinstance(known.get("features"), dict):
            pp._version_cache[path] = known.get("version")
            pp._features_cache[path] = known["features"]
            return own(pp, prog)
        version, features = own(pp, prog)
        if version:  # a missing or broken ffmpeg may be fixed while the server runs
            ydl.cache.store(FFMPEG_SECTION, key, {"version": version, "features": features})
        return version, features

    shared.shared = True  # type: ignore[attr-defined]
    FFmpegPostProcessor._get_ffmpeg_version = shared


def _executable_key(path: str | None) -> str | None:
    found = shutil.which(path) if path else None
    if found is None:
        return None
    try:
        real = Path(found).resolve()
        st = real.stat()
    except OSError:
        return None
    ident = f"{path}\0{real}\0{st.st_dev}\0{st.st_ino}\0{st.st_size}\0{st.st_mtime_ns}"
    return hashlib.sha256(ident.encode()).hexdigest()
