"""Info about a URL without queueing it: options from a preset and extra args, then a
cached extraction in a child process."""

from __future__ import annotations

import asyncio
import secrets
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from app.core.errors import InvalidInput, NotFound
from app.sandbox.network import NetworkPolicy
from app.workers.messages import ArchiveIds, Extracted, Failed
from app.workers.pool import WorkerPool
from app.ytdlp.extract import InfoJob, archive_ids_child, info_child, run_child
from app.ytdlp.info_cache import InfoCache
from app.ytdlp.options import merge_opts, parse_cli
from app.ytdlp.params import PresetSource


def check_url(url: str | None) -> str:
    url = (url or "").strip()
    if not url:
        raise InvalidInput("url is required.")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InvalidInput(f"Invalid url {url!r}: only http and https URLs are supported.")
    return url


class InfoService:
    def __init__(
        self,
        pool: WorkerPool,
        presets: PresetSource,
        cache: InfoCache,
        temp_path: Path,
        *,
        allow_unsafe: bool,
        network: NetworkPolicy,
    ) -> None:
        self._network = network
        self._pool = pool
        self._presets = presets
        self._cache = cache
        self._temp_path = temp_path
        self._allow_unsafe = allow_unsafe

    async def info(
        self, url: str | None, preset: str = "", args: str = "", *, force: bool = False
    ) -> dict[str, Any]:
        """The sanitized info dict with the seed's ``_cached`` block."""
        url = check_url(url)
        self._network.check_url(url)
        chosen = self._presets.get_preset(preset or "default")
        if chosen is None:
            raise NotFound(f"Preset '{preset}' not found.")
        params = merge_opts(self._opts(chosen.cli), self._opts(args))
        job = InfoJob(url=url, params=params, cookies=chosen.cookies)

        async def extract() -> dict[str, Any]:
            return await self._extract(job)

        cached = await self._cache.get(InfoCache.key(url, chosen.name, args), extract, force=force)
        return {**cached.info, "_cached": self._cache.describe(cached, chosen.name, args)}

    def _opts(self, cli: str) -> dict[str, Any]:
        return parse_cli(cli, allow_unsafe=self._allow_unsafe).opts if cli else {}

    async def _extract(self, job: InfoJob) -> dict[str, Any]:
        cookie_file = None
        if job.cookies:
            await asyncio.to_thread(self._temp_path.mkdir, parents=True, exist_ok=True)
            cookie_file = self._temp_path / f".info-cookies-{secrets.token_hex(8)}.txt"
            job = InfoJob(job.url, job.params, str(cookie_file), job.cookies)
        try:
            answer = await run_child(self._pool, info_child, job)
        finally:
            if cookie_file is not None:
                await asyncio.to_thread(cookie_file.unlink, True)
        match answer:
            case Extracted(info):
                return info
            case Failed(message):
                raise InvalidInput(f"Failed to extract info: {message}")
        raise InvalidInput(f"Failed to extract info: {answer}")

    async def archive_ids(self, urls: list[Any]) -> list[dict[str, Any]]:
        """Per URL: its extractor's id without any network request (yt-dlp's temp id)."""
        texts = [url for url in urls if isinstance(url, str) and url.strip()]
        found: list[dict[str, Any]] = []
        if texts:
            match await run_child(self._pool, archive_ids_child, texts):
                case ArchiveIds(ids):
                    found = ids
                case Failed(message):
                    raise InvalidInput(f"Failed to read archive ids: {message}")
                case other:
                    raise InvalidInput(f"Failed to read archive ids: {other}")
        answers = iter(found)
        out = []
        for index, url in enumerate(urls):
            if isinstance(url, str) and url.strip():
                out.append({"index": index, "url": url, **next(answers)})
            else:
                out.append({"index": index, "url": url, **_NOT_A_URL})
        return out


_NOT_A_URL = {"id": None, "ie_key": None, "archive_id": None, "error": "Not a URL."}
