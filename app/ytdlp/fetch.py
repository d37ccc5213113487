"""A plain HTTP GET run in a worker (a feed, an image): the worker's sandbox checks the
connection and the address policy applies, as for any extraction. yt-dlp's own opener is
used, so proxies and cookies behave as they do for downloads."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from multiprocessing.connection import Connection

from app.workers.messages import Extracted, Failed

MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchJob:
    url: str
    max_bytes: int = MAX_BYTES
    save_to: str = ""  # a file under the download root; "" answers the body (base64)


def fetch_child(job: FetchJob, conn: Connection) -> None:
    """Sends one ``Extracted`` ({content_type, size, body?}) or ``Failed``."""
    try:
        conn.send(_fetch(job))
    except KeyboardInterrupt:
        conn.send(Failed("cancelled"))


def _fetch(job: FetchJob) -> Extracted | Failed:
    from app.ytdlp.ydl import WarmYoutubeDL

    try:
        with WarmYoutubeDL({"quiet": True}) as ydl, ydl.urlopen(job.url) as response:
            body = response.read(job.max_bytes + 1)
            content_type = response.headers.get("Content-Type", "")
    except Exception as exc:  # any network failure is the answer, not a server error
        return Failed(str(exc) or type(exc).__name__)
    if len(body) > job.max_bytes:
        return Failed(f"{job.url} is larger than {job.max_bytes} bytes")
    answer: dict[str, object] = {"content_type": content_type, "size": len(body)}
    if job.save_to:
        with open(job.save_to, "wb") as handle:
            handle.write(body)
    else:
        answer["body"] = base64.b64encode(body).decode()
    return Extracted(answer)
