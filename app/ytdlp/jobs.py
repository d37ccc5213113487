"""The download and probe jobs, run in a worker process (never in the server).

Workers (``app.workers.worker``) are forked from a warm forkserver that has already
imported yt-dlp and lead their own process group, so a cancel reaches ffmpeg too, and a
killed server leaves no orphan writing into a ``.part`` file that the restarted server
resumes. A job sends its messages (``app.workers.messages``) on ``conn``; the worker
says when it is done.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

# The loop every worker runs these jobs in (with the sandbox and ctypes): imported with the
# jobs, so the forkserver's preload holds it, instead of each worker after its fork (~10 ms).
import app.workers.worker  # noqa: F401
from app.workers.messages import (
    Archived,
    Cancelled,
    Entries,
    Failed,
    Finished,
    Go,
    JobMessage,
    Playlist,
    PlaylistEnd,
    Postprocessing,
    Progress,
    Skipped,
    Summary,
    Video,
    Warned,
)
from app.ytdlp.catalog import catalog
from app.ytdlp.failures import is_transient
from app.ytdlp.params import NFO_PARAM

# The module a WorkerPool's forkserver imports for these jobs: yt-dlp ready in every worker.
PRELOAD = "app.ytdlp.warm"

PROGRESS_INTERVAL = 0.25  # seconds: at most 4 progress messages a second per download
ENTRY_BATCH = 50
CONSOLE_PROGRESS_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class ProbeJob:
    url: str
    params: dict[str, Any]
    max_entries: int
    skip_entries: int = 0
    cookies: str = ""
    cookie_file: str = ""
    # Set when the item may start at once: after a video the child waits for Go or Exit,
    # and on Go downloads with the same YoutubeDL and extracted info.
    download: DownloadJob | None = None


@dataclass(frozen=True, slots=True)
class DownloadJob:
    url: str
    params: dict[str, Any]
    root: str  # the final file must land under this folder
    cookies: str = ""
    cookie_file: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


Send = Callable[[JobMessage], None]


class _Logger:
    """yt-dlp's logger: warnings and errors go to the server, nothing to the terminal."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self.last_error: str | None = None

    def debug(self, msg: str) -> None:
        pass

    def info(self, msg: str) -> None:
        pass

    def warning(self, msg: str) -> None:
        self._send(Warned(_clean(msg)))

    def error(self, msg: str) -> None:
        self.last_error = _clean(msg)


def _clean(msg: str) -> str:
    msg = msg.removeprefix("ERROR: ").removeprefix("WARNING: ")
    return msg.strip()


def _sender(conn: Connection) -> Send:
    def send(message: JobMessage) -> None:
        try:
            conn.send(message)
        except (BrokenPipeError, OSError):
            # The server is gone; PDEATHSIG will end us, stop work now anyway.
            os._exit(1)

    return send


def _ydl(params: dict[str, Any], logger: _Logger) -> Any:
    # Both are imported in the warm forkserver: these imports cost nothing here.
    from app.ytdlp.options import to_ydl_params
    from app.ytdlp.ydl import WarmYoutubeDL

    base = {
        "quiet": True,
        "noprogress": True,
        "no_color": True,
        "logger": logger,
        # yt-dlp formats a console progress line for every chunk even when nothing is
        # printed (~1 ms each); the progress hooks that feed the server are not affected.
        "progress_delta": CONSOLE_PROGRESS_SECONDS,
    }
    # Options cross the process boundary as plain data; filters become callables here.
    return WarmYoutubeDL({**to_ydl_params(params), **base})


def _summary(info: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "title",
        "description",
        "duration",
        "thumbnail",
        "webpage_url",
        "uploader",
        "channel",
        "channel_id",
        "live_status",
        "is_live",
        "release_timestamp",
        "availability",
        "upload_date",
        "playlist_index",
        "playlist_count",
        # More fields conditions commonly filter on.
        "tags",
        "categories",
        "age_limit",
        "view_count",
        "like_count",
        "timestamp",
    )
    summary = {key: info.get(key) for key in keys if info.get(key) is not None}
    summary["extractor"] = info.get("extractor_key") or info.get("ie_key") or info.get("extractor")
    summary["_type"] = info.get("_type", "video")
    if "url" in info and summary["_type"] in ("url", "url_transparent"):
        summary["url"] = info["url"]
    desc = summary.get("description")
    if isinstance(desc, str) and len(desc) > 2000:
        summary["description"] = desc[:2000]
    return summary


def _entries(info: dict[str, Any]) -> Iterator[dict[str, Any]]:
    entries = info.get("entries") or []
    for entry in entries:
        if isinstance(entry, dict):
            yield entry


def probe(job: ProbeJob, conn: Connection) -> None:
    """Identifies a URL: one ``Video``, or a ``Playlist``, ``Entries`` batches, its end."""
    send = _sender(conn)
    logger = _Logger(send)
    session = _DownloadSession(job.download, send) if job.download else None
    if session is not None:
        params = dict(session.params)
    else:
        params = {**job.params, "skip_download": True}
        if job.cookies and job.cookie_file:
            _write_private(job.cookie_file, job.cookies)
            params["cookiefile"] = job.cookie_file
    # Flat, and playlists allowed: a playlist URL is expanded by the queue, entry by entry.
    params["extract_flat"] = "in_playlist"
    params.pop("noplaylist", None)
    try:
        with _ydl(params, logger) as ydl:
            info = _identify(ydl, job.url)
            if info is None:
                send(Archived(ARCHIVED))
                return
            if info.get("_type") in ("playlist", "multi_video"):
                _stream_entries(info, job, send)
                return
            send(Video(_summary(info)))
            if session is not None and _told_to_go(conn):
                session.finish(ydl, logger, info)
    except KeyboardInterrupt:
        send(Cancelled())
    except Exception as exc:
        send(_failure(exc, logger))


ARCHIVED = "Already in the download archive."


def _failure(exc: Exception, logger: _Logger) -> Failed:
    message = logger.last_error or _clean(str(exc)) or type(exc).__name__
    return Failed(message, transient=is_transient(exc, message))


def _identify(ydl: Any, url: str) -> dict[str, Any] | None:
    """The URL's unprocessed info; None when yt-dlp finds its id in the download archive."""
    info: dict[str, Any] | None = ydl.extract_info(url, download=False, process=False)
    for _ in range(5):
        if info is None:
            return None  # follow redirects between extractors, a few hops at most
        if info.get("_type") not in ("url", "url_transparent"):
            break
        info = ydl.extract_info(
            info["url"], ie_key=info.get("ie_key"), download=False, process=False
        )
    return info


def _told_to_go(conn: Connection) -> bool:
    try:
        command = conn.recv()
    except (EOFError, OSError):
        return False
    return isinstance(command, Go)


def _stream_entries(info: dict[str, Any], job: ProbeJob, send: Send) -> None:
    send(Playlist(_summary(info)))
    batch: list[dict[str, Any]] = []
    seen = 0
    entries = _entries(info)
    truncated = False
    for entry in entries:
        seen += 1
        if seen <= job.skip_entries:
            continue
        if seen > job.max_entries:
            truncated = True
            break
        summary = _summary(entry)
        summary["url"] = entry.get("url") or entry.get("webpage_url")
        summary["playlist_index"] = seen
        batch.append(summary)
        if len(batch) >= ENTRY_BATCH:
            send(Entries(batch))
            batch = []
    if batch:
        send(Entries(batch))
    total = _entry_count(info, entries, seen) if truncated else seen
    send(PlaylistEnd(seen=min(seen, job.max_entries), truncated=truncated, total=total))


def _entry_count(info: dict[str, Any], rest: Iterator[dict[str, Any]], seen: int) -> int:
    """How many entries a cut playlist has: its own count, else the rest read flat."""
    count = info.get("playlist_count")
    if isinstance(count, int) and count >= seen:
        return count
    return seen + sum(1 for _ in rest)


class _Progress:
    """Turns yt-dlp's progress hooks into at most a few messages a second."""

    def __init__(self, send: Send) -> None:
        self._send = send
        self._last = 0.0
        self._downloaded = False  # the download step has begun

    def hook(self, data: dict[str, Any]) -> None:
        status = data.get("status")
        self._downloaded = True
        now = time.monotonic()
        if status == "downloading" and now - self._last < PROGRESS_INTERVAL:
            return
        self._last = now
        total = data.get("total_bytes") or data.get("total_bytes_estimate")
        downloaded = data.get("downloaded_bytes")
        percent = None
        if total and downloaded is not None:
            percent = round(min(100.0, downloaded * 100.0 / total), 2)
        self._send(
            Progress(
                status=status,
                downloaded_bytes=downloaded,
                total_bytes=int(total) if total else None,
                speed=data.get("speed"),
                eta=data.get("eta"),
                percent=100.0 if status == "finished" else percent,
            )
        )

    def postprocessor_hook(self, data: dict[str, Any]) -> None:
        # yt-dlp calls this for pre-process postprocessors (our filename guard, metadata
        # parsers) too: before the download they are still preparation. ``filepath`` is
        # set once a file exists (an already downloaded one skips the progress hook).
        info = data.get("info_dict") or {}
        if data.get("status") == "started" and (self._downloaded or info.get("filepath")):
            self._send(Postprocessing(data.get("postprocessor")))


def _final_path(info: dict[str, Any]) -> str | None:
    downloads = info.get("requested_downloads") or []
    for entry in reversed(downloads):
        if entry.get("filepath"):
            return str(entry["filepath"])
    return info.get("filepath") or info.get("_filename")


def _info_json_path(info: dict[str, Any]) -> str | None:
    for entry in [*reversed(info.get("requested_downloads") or []), info]:
        if entry.get("__infojson_filename"):
            return str(entry["__infojson_filename"])
    return None


def _inside(path: str, root: str) -> bool:
    resolved = Path(path).resolve()
    return resolved == Path(root) or Path(root) in resolved.parents


def _guard_filename(ydl: Any, root: str) -> Any:
    """A pre-download check: the name yt-dlp will write must stay under the root."""
    from yt_dlp.postprocessor.common import PostProcessor

    class FilenameGuard(PostProcessor):  # type: ignore[misc]
        def run(self, info: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
            name = ydl.prepare_filename(info)
            if not _inside(name, root):
                raise ValueError("refused: the file name leaves the download path")
            return [], info

    return FilenameGuard(ydl)


def download(job: DownloadJob, conn: Connection) -> None:
    """Downloads one item; the last message is ``Finished``, ``Skipped``, ``Failed`` or
    ``Cancelled``."""
    send = _sender(conn)
    logger = _Logger(send)
    session = _DownloadSession(job, send)
    try:
        with _ydl(session.params, logger) as ydl:
            session.finish(ydl, logger, None)
    except KeyboardInterrupt:
        send(Cancelled())
    except Exception as exc:
        send(_failure(exc, logger))


class _DownloadSession:
    """One item's download: its YoutubeDL parameters, then the run and its report."""

    def __init__(self, job: DownloadJob, send: Send) -> None:
        self._job = job
        self._send = send
        progress = _Progress(send)
        params = dict(job.params)
        self._nfo = params.pop(NFO_PARAM, "")
        self.params = {
            **params,
            "progress_hooks": [progress.hook],
            "postprocessor_hooks": [progress.postprocessor_hook],
        }
        if job.cookies and job.cookie_file:
            _write_private(job.cookie_file, job.cookies)
            self.params["cookiefile"] = job.cookie_file
        if archive := self.params.get("download_archive"):
            # yt-dlp appends to the archive but never makes its folder.
            Path(archive).parent.mkdir(parents=True, exist_ok=True)

    def finish(self, ydl: Any, logger: _Logger, info: dict[str, Any] | None) -> None:
        """Downloads, from ``info`` when this process already extracted it."""
        job = self._job
        ydl.add_post_processor(_guard_filename(ydl, job.root), when="pre_process")
        if info is None:
            info = _identify(ydl, job.url)
        if info is None or (ydl.params.get("download_archive") and ydl.in_download_archive(info)):
            # yt-dlp would skip it silently; the queue reports it as a skip instead.
            self._send(Skipped(ARCHIVED))
            return
        info = ydl.process_ie_result(info, download=True)
        if logger.last_error and not info:
            raise RuntimeError(logger.last_error)
        path = _final_path(info or {})
        if ydl.params.get("skip_download"):
            # Only the info was asked for (yt-dlp-host's get_info): that file is the result.
            path = _info_json_path(info or {})
        if path is None or not Path(path).exists():
            raise RuntimeError(logger.last_error or "yt-dlp reported no file")
        if not _inside(path, job.root):
            # Never removed: a path that names a file outside is no file of ours.
            raise RuntimeError("refused: the file name leaves the download path")
        # The library's pick rides along: the info is never extracted again for it.
        self._send(Summary({**_summary(info or {}), "catalog": catalog(info or {})}))
        final = Path(path).resolve()
        if self._nfo:
            self._write_nfo(final, info or {})
        archived = bool(ydl.params.get("download_archive")) and ydl.in_download_archive(info)
        self._send(Finished(str(final), final.stat().st_size, archived=archived))

    def _write_nfo(self, media: Path, info: dict[str, Any]) -> None:
        """The NFO preset's file; a video without a date gets a warning, not a failure."""
        from app.core.errors import InvalidInput
        from app.ytdlp.nfo import build_nfo

        try:
            media.with_suffix(".nfo").write_bytes(build_nfo(info, self._nfo))
        except InvalidInput as exc:
            self._send(Warned(exc.message))


def _write_private(path: str, text: str) -> None:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text if text.endswith("\n") else text + "\n")
