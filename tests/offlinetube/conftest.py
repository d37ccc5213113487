"""The OfflineTube layer over real HTTP: on a port of its own and under ``/ot``.

Searches go to the fixture site's search extractor (``fixturesearch``), whose origin is an
extractor argument of the ``fixture`` preset the layer uses (``YTP_OFFLINETUBE_PRESET``).
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiohttp
import pytest
from multidict import CIMultiDict, CIMultiDictProxy
from pytest_aiohttp import AiohttpClient

from app import keys
from app.server import create_app
from app.settings import Settings
from tests.conftest import Client, EventLog, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import finished
from tests.server_process import free_port

Where = Literal["port", "prefix"]
PREFIX = "/ot"
FIELDS = {
    "id",
    "url",
    "title",
    "thumbnail",
    "status",
    "progress",
    "speed",
    "eta",
    "filesize",
    "downloaded_bytes",
    "format_note",
    "is_playlist",
    "playlist_index",
    "playlist_total",
    "filename",
    "quality",
    "download_type",
    "error_message",
    "created_at",
    "completed_at",
}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: CIMultiDictProxy[str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def detail(self) -> str:
        body = self.json()
        assert list(body) == ["detail"], body
        detail: str = body["detail"]
        return detail


class OfflineTube:
    """The main port (the test client, ``/ot``) and the layer's own port."""

    def __init__(self, client: Client, port: int, site: FixtureSite, settings: Settings) -> None:
        self.client = client
        self.port = port
        self.site = site
        self.settings = settings
        self.session = aiohttp.ClientSession(f"http://127.0.0.1:{port}")
        # Recorded from the start, so no event is missed. Under a base path the client's
        # app is the root that holds the native one: tests there do not download.
        wire = client.app.get(keys.WIRE)
        self._events = EventLog(wire) if wire is not None else None

    @property
    def events(self) -> EventLog:
        assert self._events is not None, "no events under a base path"
        return self._events

    async def request(self, method: str, path: str, where: Where = "port", **kwargs: Any) -> Answer:
        if where == "port":
            context = self.session.request(method, path, **kwargs)
        else:
            context = self.client.request(method, PREFIX + path, **kwargs)
        async with context as answer:
            return Answer(answer.status, answer.headers, await answer.read())

    async def raw(self, path: str, where: Where = "port") -> Answer:
        """A GET of ``path`` exactly as written: clients would resolve its ``..`` first."""
        port = self.port if where == "port" else self.client.port
        assert port is not None
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        target = path if where == "port" else PREFIX + path
        request = f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        writer.write(request.encode())
        raw = await reader.read()
        writer.close()
        await writer.wait_closed()
        head, _, body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        fields: CIMultiDict[str] = CIMultiDict()
        for line in lines[1:]:
            name, _, value = line.partition(": ")
            fields.add(name, value)
        if fields.get("Transfer-Encoding") == "chunked":
            body = _unchunk(body)
        return Answer(int(lines[0].split()[1]), CIMultiDictProxy(fields), body)

    async def both(self, method: str, path: str, **kwargs: Any) -> list[Answer]:
        return [await self.request(method, path, where, **kwargs) for where in ("port", "prefix")]

    async def ok(self, method: str, path: str, where: Where = "port", **kwargs: Any) -> Any:
        answer = await self.request(method, path, where, **kwargs)
        assert answer.status == 200, (method, path, answer.status, answer.body[:500])
        return answer.json()

    async def download(self, path: str, **fields: Any) -> dict[str, Any]:
        """Starts a download of a fixture-site page; answers the new download."""
        body = {"url": self.site.url(path), **fields}
        started: dict[str, Any] = await self.ok("POST", "/api/download", json=body)
        assert set(started) == FIELDS
        return started

    async def completed(self, path: str, **fields: Any) -> dict[str, Any]:
        """Downloads and waits for the end; answers the download as the list shows it."""
        started = await self.download(path, **fields)
        await finished(self.events, started["id"])
        found: dict[str, Any] = await self.ok("GET", f"/api/downloads/{started['id']}")
        assert found["status"] == "completed", found
        return found

    def file(self, download: dict[str, Any]) -> Path:
        return self.settings.download_path / str(download["filename"])

    async def close(self) -> None:
        if self._events is not None:
            self._events.close()
        await self.session.close()


def _unchunk(data: bytes) -> bytes:
    out = b""
    while data:
        size, _, rest = data.partition(b"\r\n")
        length = int(size, 16)
        if length == 0:
            break
        out += rest[:length]
        data = rest[length + 2 :]
    return out


MakeOfflineTube = Callable[..., Awaitable[OfflineTube]]


@pytest.fixture
async def make_ot(
    aiohttp_client: AiohttpClient, fixture_site: FixtureSite, tmp_path: Path
) -> AsyncIterator[MakeOfflineTube]:
    made: list[OfflineTube] = []

    async def make(site: str | None = None, **overrides: Any) -> OfflineTube:
        values: dict[str, Any] = {
            "offlinetube_port": free_port(),
            "offlinetube_search": "fixturesearch",
            "offlinetube_preset": "fixture",
            **overrides,
        }
        settings = make_settings(tmp_path / f"ot{len(made)}", **values).resolved()
        client = await aiohttp_client(create_app(settings))
        headers = {}
        if settings.auth_enabled:
            headers = {"Authorization": "Basic " + base64.b64encode(b"admin:pw").decode()}
        origin = site or fixture_site.base_url
        cli = f'--extractor-args "fixturesearch:site={origin}"'
        preset = {"name": "fixture", "cli": cli}
        presets = settings.base_path.rstrip("/") + "/api/presets"
        answer = await client.post(presets, json=preset, headers=headers)
        assert answer.status in (200, 201), await answer.text()
        client.session.cookie_jar.clear()  # the session that Basic login earned
        ot = OfflineTube(client, values["offlinetube_port"], fixture_site, settings)
        made.append(ot)
        return ot

    yield make
    for ot in made:
        await ot.close()


@pytest.fixture
async def ot(make_ot: MakeOfflineTube) -> OfflineTube:
    return await make_ot()
