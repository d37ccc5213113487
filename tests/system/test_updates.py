"""POST /api/system/check-updates against a package index served on loopback."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from app.system.versions import app_version, ytdlp_version
from tests.conftest import Client, MakeClient, make_settings
from tests.integration.helpers import call
from tests.server_process import free_port


class FakeIndex:
    """PyPI's JSON API for the packages it is given; 404 for the rest."""

    def __init__(self, versions: dict[str, str]) -> None:
        self.versions = versions
        self.hits: Counter[str] = Counter()

    async def project(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        self.hits[name] += 1
        if name not in self.versions:
            return web.json_response({"message": "Not Found"}, status=404)
        return web.json_response({"info": {"name": name, "version": self.versions[name]}})


async def start_index(
    aiohttp_server: AiohttpServer, versions: dict[str, str]
) -> tuple[FakeIndex, str]:
    index = FakeIndex(versions)
    app = web.Application()
    app.router.add_get("/pypi/{name}/json", index.project)
    server = await aiohttp_server(app)
    return index, str(server.make_url("/pypi"))


async def updates_client(
    tmp_path: Path, make_client: MakeClient, index_url: str, **settings: object
) -> Client:
    return await make_client(make_settings(tmp_path, update_index_url=index_url, **settings))


async def test_newer_releases_are_reported_and_cached(
    tmp_path: Path, make_client: MakeClient, aiohttp_server: AiohttpServer
) -> None:
    index, url = await start_index(aiohttp_server, {"tubestash": "999.0.0", "yt-dlp": "9999.12.31"})
    client = await updates_client(tmp_path, make_client, url)
    answer = await call(client, "POST", "/api/system/check-updates")
    assert answer["status"] == "update_available"
    assert answer["current_version"] == app_version()
    assert answer["new_version"] == "999.0.0"
    assert answer["yt_dlp"] == {
        "status": "update_available",
        "current_version": ytdlp_version(),
        "new_version": "9999.12.31",
        "error": None,
    }
    again = await call(client, "POST", "/api/system/check-updates")
    assert again == answer
    assert index.hits == Counter({"tubestash": 1, "yt-dlp": 1})  # the second came from the cache
    config = await call(client, "GET", "/api/system/configuration")
    assert config["app"]["new_version"] == "999.0.0"
    await call(client, "POST", "/api/system/check-updates?force=true")
    assert index.hits == Counter({"tubestash": 2, "yt-dlp": 2})


async def test_up_to_date_and_unpublished(
    tmp_path: Path, make_client: MakeClient, aiohttp_server: AiohttpServer
) -> None:
    _index, url = await start_index(aiohttp_server, {"yt-dlp": ytdlp_version()})
    client = await updates_client(tmp_path, make_client, url)
    answer = await call(client, "POST", "/api/system/check-updates")
    assert answer["status"] == "up_to_date"
    assert answer["new_version"] is None
    assert answer["yt_dlp"]["status"] == "up_to_date"


@pytest.mark.parametrize("trouble", ["status", "json"])
async def test_a_broken_index_is_an_error(
    tmp_path: Path, make_client: MakeClient, aiohttp_server: AiohttpServer, trouble: str
) -> None:
    async def broken(request: web.Request) -> web.Response:
        if trouble == "status":
            return web.Response(status=503)
        return web.Response(text="<html>not json</html>")

    app = web.Application()
    app.router.add_get("/pypi/{name}/json", broken)
    server = await aiohttp_server(app)
    client = await updates_client(tmp_path, make_client, str(server.make_url("/pypi")))
    answer = await call(client, "POST", "/api/system/check-updates")
    assert answer["status"] == "error" and answer["new_version"] is None
    assert answer["yt_dlp"]["error"]


async def test_an_unreachable_index_is_an_error_not_a_hang(
    tmp_path: Path, make_client: MakeClient
) -> None:
    client = await updates_client(tmp_path, make_client, f"http://127.0.0.1:{free_port()}/pypi")
    answer = await call(client, "POST", "/api/system/check-updates")
    assert answer["status"] == "error"
    assert answer["new_version"] is None
    assert "could not be reached" in answer["yt_dlp"]["error"]


async def test_disabled_is_a_400(tmp_path: Path, make_client: MakeClient) -> None:
    client = await updates_client(
        tmp_path, make_client, "http://127.0.0.1:9/pypi", check_for_updates=False
    )
    answer = await call(client, "POST", "/api/system/check-updates", status=400)
    assert answer == {"error": "Update checking is disabled."}
