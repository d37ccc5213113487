"""Search and trending through yt-dlp's search extractors, run in a worker.

The source is a search key (``YTP_OFFLINETUBE_SEARCH``: ``ytsearch`` for YouTube, any
yt-dlp ``SearchInfoExtractor`` key) and a search reads ``<key><n>:<query>``. A source that
cannot be reached is a 502 with yt-dlp's reason, answered when yt-dlp gives up or at
``SEARCH_TIMEOUT`` at the latest (the worker is stopped then): never a hang.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from app.compat.offlinetube.views import result_of
from app.core.errors import AppError, InvalidInput, NotFound
from app.workers.messages import Extracted, Failed
from app.workers.pool import WorkerPool
from app.ytdlp.extract import InfoJob, info_child, run_child
from app.ytdlp.options import merge_opts, parse_cli
from app.ytdlp.params import PresetSource

SEARCH_TIMEOUT = 30.0  # seconds for a whole search, extraction included
SOCKET_TIMEOUT = 10.0  # seconds yt-dlp waits on one connection
MAX_RESULTS = 50
MAX_QUERY = 500


class BadGateway(AppError):
    """The search source failed or could not be reached."""

    status = 502


@dataclass(frozen=True, slots=True)
class Source:
    """Where searches go: a search key, and the preset whose options they use."""

    key: str
    preset: str
    allow_unsafe: bool = False


def check_query(query: str | None) -> str:
    text = (query or "").strip()
    if not text:
        raise InvalidInput("q is required.")
    if len(text) > MAX_QUERY:
        raise InvalidInput(f"q is longer than {MAX_QUERY} characters.")
    return text


async def search(
    pool: WorkerPool, presets: PresetSource, source: Source, query: str, limit: int
) -> list[dict[str, Any]]:
    """The first ``limit`` results for ``query``, each in the original's result shape."""
    if not 1 <= limit <= MAX_RESULTS:
        raise InvalidInput(f"max_results must be between 1 and {MAX_RESULTS}.")
    preset = presets.get_preset(source.preset)
    if preset is None:
        raise NotFound(f"Preset '{source.preset}' not found (YTP_OFFLINETUBE_PRESET).")
    params = merge_opts(
        parse_cli(preset.cli, allow_unsafe=source.allow_unsafe).opts if preset.cli else {},
        {"socket_timeout": SOCKET_TIMEOUT, "playlistend": limit},
    )
    job = InfoJob(url=f"{source.key}{limit}:{query}", params=params)
    try:
        answer = await asyncio.wait_for(run_child(pool, info_child, job), SEARCH_TIMEOUT)
    except TimeoutError:
        raise BadGateway(f"The search source did not answer within {SEARCH_TIMEOUT:g} s.") from None
    match answer:
        case Extracted(info):
            entries = info.get("entries") or []
            return [result_of(entry) for entry in entries[:limit] if isinstance(entry, dict)]
        case Failed(message):
            raise BadGateway(f"The search source failed: {message}")
    raise BadGateway(f"The search source failed: {answer}")
