"""yt-dlp work for the tool endpoints, run as jobs in the WorkerPool's workers.

Extraction does network and CPU work and can hang on a bad site; in a worker it never
blocks the event loop and dies with the server (its own process group, like downloads).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from app.workers.messages import ArchiveIds, Extracted, Failed, JobMessage, Target
from app.workers.pool import WorkerPool


@dataclass(frozen=True, slots=True)
class InfoJob:
    url: str
    params: dict[str, Any] = field(default_factory=dict)
    cookie_file: str = ""
    cookies: str = ""


def info_child(job: InfoJob, conn: Connection) -> None:
    """Sends one ``Extracted`` or ``Failed``."""
    try:
        conn.send(_extract(job))
    except KeyboardInterrupt:
        conn.send(Failed("cancelled"))


def _extract(job: InfoJob) -> Extracted | Failed:
    from app.ytdlp.options import to_ydl_params
    from app.ytdlp.ydl import WarmYoutubeDL

    logger = _ErrorLogger()
    # Flat playlists: listing entries is what a user previewing a URL needs, and fast.
    params = {
        **to_ydl_params(job.params),
        "quiet": True,
        "noprogress": True,
        "skip_download": True,
        "extract_flat": "in_playlist",
        "logger": logger,
    }
    if job.cookies and job.cookie_file:
        descriptor = os.open(job.cookie_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(job.cookies)
        params["cookiefile"] = job.cookie_file
    try:
        with WarmYoutubeDL(params) as ydl:
            info = ydl.extract_info(job.url, download=False)
            return Extracted(ydl.sanitize_info(info))
    except Exception as exc:  # any extractor failure is the answer, not a server error
        return Failed(logger.last_error or str(exc) or type(exc).__name__)


def archive_ids_child(urls: list[str], conn: Connection) -> None:
    """Sends one ``ArchiveIds`` without any network request."""
    conn.send(ArchiveIds([_archive_id(url) for url in urls]))


def _archive_id(url: str) -> dict[str, Any]:
    from yt_dlp.extractor import gen_extractor_classes

    from app.ytdlp.ydl import WarmYoutubeDL

    WarmYoutubeDL({"quiet": True})  # loads plugin extractors, once per process
    for ie in gen_extractor_classes():
        if ie.ie_key() == "Generic" or not ie.suitable(url):
            continue
        video_id = ie.get_temp_id(url)
        if video_id is None:
            break
        key = ie.ie_key()
        return {
            "id": video_id,
            "ie_key": key,
            "archive_id": f"{key.lower()} {video_id}",
            "error": None,
        }
    return {
        "id": None,
        "ie_key": None,
        "archive_id": None,
        "error": "No extractor knows this URL's id.",
    }


class _ErrorLogger:
    def __init__(self) -> None:
        self.last_error: str | None = None

    def debug(self, msg: str) -> None:
        pass

    def info(self, msg: str) -> None:
        pass

    def warning(self, msg: str) -> None:
        pass

    def error(self, msg: str) -> None:
        self.last_error = msg.removeprefix("ERROR: ").strip()


async def run_child(pool: WorkerPool, target: Target, job: Any) -> JobMessage:
    """Runs a job in a worker, returns its last message; stops it if the caller is cancelled."""
    child = await pool.spawn(target, job)
    answer: JobMessage = Failed("the extraction process ended unexpectedly")
    try:
        async for message in child.messages():
            match message:
                case Extracted() | ArchiveIds() | Failed():
                    answer = message
        return answer
    finally:
        if child.busy:
            await child.stop()
        pool.release(child)
