"""The player: HLS playlists, on-demand segments and WebVTT subtitles of downloaded files.

Every file name comes from a request and goes through ``resolve_under`` (the download
root, symlinks resolved) before anything opens it. Blocking file-system work runs in a
thread; ffprobe and ffmpeg run as child processes.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Mapping
from pathlib import Path

from app.core.errors import InvalidInput, NotFound
from app.core.paths import resolve_under
from app.player import playlists
from app.player.plan import Segment, audio_is_safe, ffmpeg_args, video_is_safe
from app.player.probe import FileKey, MediaInfo, Prober, file_key
from app.player.runs import Runs
from app.player.subtitles import SUFFIXES, sidecars, webvtt_args

Query = Mapping[str, str]


class Player:
    def __init__(
        self, download_path: Path, base_path: str, *, max_processes: int, cache_bytes: int
    ) -> None:
        self._root = download_path
        self._base = base_path
        self.prober = Prober()
        self.runs = Runs(max_processes, cache_bytes)

    async def close(self) -> None:
        await self.runs.close()

    async def master(self, file: str, params: Query) -> str:
        path, key = await self._file(file)
        info = await self.prober.media(key)
        tracks = await asyncio.to_thread(sidecars, path, self._root)
        return playlists.master_playlist(
            self._base, file, info.duration, info.bit_rate, tracks, params
        )

    async def video(self, file: str, params: Query) -> str:
        _, key = await self._file(file)
        info = await self.prober.media(key)
        flags = dict(params)
        if not video_is_safe(info):
            flags["vc"] = "1"
        if not audio_is_safe(info):
            flags["ac"] = "1"
        sd = playlists.segment_length(info.max_gop if video_is_safe(info) else 0.0)
        return playlists.video_playlist(self._base, file, info.duration, sd, flags)

    async def subtitle_playlist(self, file: str, duration: float, params: Query) -> str:
        await self._file(file)
        return playlists.subtitle_playlist(self._base, file, duration, params)

    async def segment(
        self,
        file: str,
        index: int,
        sd: float,
        *,
        vc: bool,
        ac: bool,
        gone: Callable[[], bool] = lambda: False,
    ) -> bytes:
        """Segment ``index`` (``index * sd`` to the next) as MPEG-TS.

        ``vc``/``ac`` ask for the video/audio to be encoded; a stream a browser cannot
        play is encoded whatever they say.
        """
        _, key = await self._file(file)
        info = await self.prober.media(key)
        count = playlists.segment_count(info.duration, sd)
        if index >= count:
            raise NotFound(f"Segment {index} is past the end ({count} segments).")
        segment = Segment(
            index=index,
            start=index * sd,
            length=sd,
            last=index == count - 1,
            encode_video=vc or not video_is_safe(info),
            encode_audio=ac or not audio_is_safe(info),
        )

        async def make_args() -> list[str]:
            return await self._segment_args(key, info, segment)

        return await self.runs.output(("segment", key, segment), make_args, gone)

    async def subtitle(self, file: str) -> bytes:
        path, key = await self._file(file)
        suffix = path.suffix.lower()
        if suffix not in SUFFIXES:
            raise InvalidInput(f"Subtitle type '{suffix}' is not supported.")
        if suffix == ".vtt":
            return await asyncio.to_thread(path.read_bytes)

        async def make_args() -> list[str]:
            return webvtt_args(path)

        return await self.runs.output(("subtitle", key), make_args)

    async def modified(self, file: str) -> float:
        """The file's modification time (seconds), for ``Last-Modified``."""
        _, key = await self._file(file)
        return key.mtime_ns / 1e9

    async def _segment_args(self, key: FileKey, info: MediaInfo, segment: Segment) -> list[str]:
        cut = None
        if segment.needs_cut:
            cut = await self.prober.cut(key, info, segment.start + segment.length, segment.length)
        return ffmpeg_args(key.path, info, segment, cut)

    async def _file(self, file: str) -> tuple[Path, FileKey]:
        if not file:
            raise InvalidInput("file is required")
        path = resolve_under(self._root, file, "file")
        return path, await asyncio.to_thread(file_key, path)
