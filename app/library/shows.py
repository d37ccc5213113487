"""SQL for the library's channels and playlists (its shows)."""

from __future__ import annotations

from collections.abc import Sequence

import aiosqlite

from app.core.db import Database
from app.library.models import Channel, Playlist

_CHUNK = 500


def _like(text: str) -> str:
    """A LIKE pattern that finds ``text`` anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _marks(count: int) -> str:
    return ",".join("?" * count)


class ShowStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def channels(self, offset: int, limit: int) -> tuple[int, list[Channel]]:
        total = await self._db.fetch_value("SELECT count(*) FROM library_channels")
        rows = await self._db.fetch_all(
            "SELECT data, subscribed FROM library_channels ORDER BY name, channel_id "
            "LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return int(total or 0), [_channel(row) for row in rows]

    async def channel(self, channel_id: str) -> Channel | None:
        row = await self._db.fetch_one(
            "SELECT data, subscribed FROM library_channels WHERE channel_id = ?", (channel_id,)
        )
        return None if row is None else _channel(row)

    async def channels_by_id(self, channel_ids: Sequence[str]) -> dict[str, Channel]:
        ids = list(dict.fromkeys(channel_ids))[:_CHUNK]
        if not ids:
            return {}
        rows = await self._db.fetch_all(
            "SELECT data, subscribed FROM library_channels "
            f"WHERE channel_id IN ({_marks(len(ids))})",
            ids,
        )
        found = [_channel(row) for row in rows]
        return {channel.channel_id: channel for channel in found}

    async def find_channels(self, text: str, limit: int) -> list[Channel]:
        """Channels whose id or name is ``text``, or whose name or URL holds it."""
        like = _like(text)
        rows = await self._db.fetch_all(
            "SELECT data, subscribed FROM library_channels WHERE channel_id = ? OR name = ? "
            "OR name LIKE ? ESCAPE '\\' OR json_extract(data, '$.url') LIKE ? ESCAPE '\\' "
            "ORDER BY channel_id = ? DESC, name = ? DESC, name LIMIT ?",
            (text, text, like, like, text, text, limit),
        )
        return [_channel(row) for row in rows]

    async def find_playlists(self, text: str, limit: int) -> list[Playlist]:
        like = _like(text)
        rows = await self._db.fetch_all(
            "SELECT data, subscribed FROM library_playlists WHERE playlist_id = ? "
            "OR json_extract(data, '$.title') LIKE ? ESCAPE '\\' ORDER BY playlist_id LIMIT ?",
            (text, like, limit),
        )
        return [_playlist(row) for row in rows]

    async def put_channel(self, channel: Channel) -> None:
        await self._db.execute(
            "INSERT INTO library_channels (channel_id, name, subscribed, data) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (channel_id) DO UPDATE SET subscribed = excluded.subscribed",
            (channel.channel_id, channel.name, int(channel.subscribed), channel.model_dump_json()),
        )

    async def put_playlist(self, playlist: Playlist) -> None:
        await self._db.execute(
            "INSERT INTO library_playlists (playlist_id, channel_id, subscribed, data) "
            "VALUES (?, ?, ?, ?) "
            "ON CONFLICT (playlist_id) DO UPDATE SET subscribed = excluded.subscribed",
            (
                playlist.playlist_id,
                playlist.channel_id,
                int(playlist.subscribed),
                playlist.model_dump_json(),
            ),
        )

    async def replace_channel(self, channel: Channel) -> None:
        """A known channel read again (a refresh); its subscription stays as it is."""
        await self._db.execute(
            "UPDATE library_channels SET name = ?, data = ? WHERE channel_id = ?",
            (channel.name, channel.model_dump_json(), channel.channel_id),
        )

    async def replace_playlist(self, playlist: Playlist) -> None:
        """A known playlist read again (a refresh); its subscription stays as it is."""
        await self._db.execute(
            "UPDATE library_playlists SET channel_id = ?, data = ? WHERE playlist_id = ?",
            (playlist.channel_id, playlist.model_dump_json(), playlist.playlist_id),
        )

    async def playlists(self, offset: int, limit: int) -> tuple[int, list[Playlist]]:
        total = await self._db.fetch_value("SELECT count(*) FROM library_playlists")
        rows = await self._db.fetch_all(
            "SELECT data, subscribed FROM library_playlists ORDER BY playlist_id LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return int(total or 0), [_playlist(row) for row in rows]

    async def playlist(self, playlist_id: str) -> Playlist | None:
        row = await self._db.fetch_one(
            "SELECT data, subscribed FROM library_playlists WHERE playlist_id = ?", (playlist_id,)
        )
        return None if row is None else _playlist(row)


def _channel(row: aiosqlite.Row) -> Channel:
    channel = Channel.model_validate_json(row[0])
    channel.subscribed = bool(row[1])
    return channel


def _playlist(row: aiosqlite.Row) -> Playlist:
    playlist = Playlist.model_validate_json(row[0])
    playlist.subscribed = bool(row[1])
    return playlist
