"""ffprobe, run as a child process (never on the loop), its answers cached by file version.

The cache key is the file's path, mtime and size: a file replaced or rewritten is probed
again, an unchanged one never. At most ``MAX_CACHED`` answers are kept (least recently
used first out) and ``PARALLEL`` probes run at once; callers asking for the same file
while it is probed share that probe.
"""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import OrderedDict
from typing import Any

from app.core.errors import AppError, InvalidInput

MAX_CACHED = 512
PARALLEL = 4
TIMEOUT = 60.0
MAX_OUTPUT = 16 * 1024 * 1024  # ffprobe's JSON for a file with thousands of chapters

Key = tuple[str, int, int]


class ProbeFailed(AppError):
    status = 500


class Prober:
    def __init__(self, binary: str | None = None) -> None:
        self._binary = binary or shutil.which("ffprobe") or "ffprobe"
        self._cache: OrderedDict[Key, dict[str, Any]] = OrderedDict()
        self._running: dict[Key, asyncio.Future[dict[str, Any]]] = {}
        self._slots = asyncio.Semaphore(PARALLEL)

    async def probe(self, key: Key, fd: int) -> dict[str, Any]:
        """ffprobe's ``{streams, format}`` for the file ``key`` names (path, mtime, size);
        ``fd`` is that file, opened where its path was checked: ffprobe reads that."""
        if key in self._cache:
            self._cache.move_to_end(key)
            return self._cache[key]
        running = self._running.get(key)
        if running is not None:
            return await asyncio.shield(running)
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._running[key] = future
        try:
            result = await self._run(fd)
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: a failure nobody else awaited is not logged
            raise
        finally:
            self._running.pop(key, None)
        future.set_result(result)
        self._cache[key] = result
        while len(self._cache) > MAX_CACHED:
            self._cache.popitem(last=False)
        return result

    async def _run(self, fd: int) -> dict[str, Any]:
        # The child opens its inherited descriptor by /dev/fd: the same file, whatever
        # became of its path since; "file:" keeps it from being read as any other protocol.
        source = f"file:/dev/fd/{fd}"
        args = ["-v", "error", "-of", "json", "-show_streams", "-show_format", source]
        async with self._slots:
            process = await asyncio.create_subprocess_exec(
                self._binary,
                *args,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                pass_fds=(fd,),
                limit=MAX_OUTPUT,
            )
            try:
                out, err = await asyncio.wait_for(process.communicate(), TIMEOUT)
            except TimeoutError:
                process.kill()
                await process.wait()
                raise ProbeFailed("ffprobe took too long.") from None
            except BaseException:
                if process.returncode is None:
                    process.kill()
                    await process.wait()
                raise
        if process.returncode != 0:
            reason = err.decode(errors="replace").strip().splitlines()
            raise InvalidInput(f"ffprobe could not read the file: {reason[-1] if reason else ''}")
        try:
            data = json.loads(out)
        except ValueError:
            raise ProbeFailed("ffprobe answered something that is not JSON.") from None
        return data if isinstance(data, dict) else {}


_IMAGE_CODECS = frozenset({"png", "mjpeg", "gif", "bmp", "tiff", "webp"})


def with_groups(probed: dict[str, Any]) -> dict[str, Any]:
    """The seed's ``{streams, format}`` beside YTPTube's ``{metadata, video, audio,
    subtitle, attachment, is_video, is_audio}`` (its own UI reads the latter)."""
    groups: dict[str, list[dict[str, Any]]] = {
        "video": [],
        "audio": [],
        "subtitle": [],
        "attachment": [],
    }
    streams = [s for s in probed.get("streams", []) if isinstance(s, dict)]
    for stream in streams:
        kind = stream.get("codec_type")
        if kind == "video" and stream.get("codec_name") in _IMAGE_CODECS:
            continue  # a cover picture, not a video track
        if kind in groups:
            groups[kind].append({**stream, "framerate": _framerate(stream)})
    return {
        "streams": streams,
        "format": probed.get("format", {}),
        "metadata": probed.get("format", {}),
        **groups,
        "is_video": bool(groups["video"]),
        "is_audio": bool(groups["audio"]),
    }


def _framerate(stream: dict[str, Any]) -> int | None:
    num, _, den = str(stream.get("avg_frame_rate", "")).partition("/")
    try:
        return round(int(num) / int(den)) if int(den) else 0
    except ValueError:
        return None
