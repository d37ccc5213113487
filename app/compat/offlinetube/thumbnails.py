"""A download's thumbnail: the image yt-dlp wrote beside the file, else the extractor's
thumbnail URL fetched in a worker (the address policy and the worker's sandbox apply)."""

from __future__ import annotations

import asyncio
import base64
from dataclasses import dataclass

from app.compat.offlinetube.discovery import SOCKET_TIMEOUT, BadGateway
from app.core.errors import NotFound
from app.sandbox.network import NetworkPolicy
from app.workers.messages import Extracted, Failed
from app.workers.pool import WorkerPool
from app.ytdlp.extract import run_child
from app.ytdlp.fetch import FetchJob, fetch_child

MAX_BYTES = 5 * 1024 * 1024
FETCH_TIMEOUT = 3 * SOCKET_TIMEOUT


@dataclass(frozen=True, slots=True)
class Image:
    body: bytes
    content_type: str


async def fetch_image(pool: WorkerPool, network: NetworkPolicy, url: str | None) -> Image:
    if not url or not url.lower().startswith(("http://", "https://")):
        raise NotFound("Thumbnail not found")
    network.check_url(url)
    job = FetchJob(url=url, max_bytes=MAX_BYTES)
    try:
        answer = await asyncio.wait_for(run_child(pool, fetch_child, job), FETCH_TIMEOUT)
    except TimeoutError:
        raise BadGateway("The thumbnail's site did not answer in time.") from None
    match answer:
        case Extracted(found):
            content_type = str(found.get("content_type") or "").split(";")[0].strip()
            if not content_type.startswith("image/"):
                raise BadGateway("The thumbnail's site did not answer with an image.")
            return Image(base64.b64decode(found["body"]), content_type)
        case Failed(message):
            raise BadGateway(f"The thumbnail could not be fetched: {message}")
    raise BadGateway(f"The thumbnail could not be fetched: {answer}")
