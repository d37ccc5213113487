"""The real app on loopback, driven by yt-dlp-host's own client (``yt-dlp-host-api``)."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient
from yt_dlp_host_api.client import Client as HostClient

from app.server import create_app
from app.settings import Settings
from tests.conftest import Client, make_settings

ADMIN_KEY = "admin-key-for-the-tests-0123456789"


class Host:
    """The server and a way to make the PyPI client for any key."""

    def __init__(self, client: Client) -> None:
        self.client = client
        # A trailing slash: the client then sends "//get_video", as a real user's does.
        self.base = str(client.make_url("/"))

    def as_key(self, key: str, base: str | None = None) -> HostClient:
        return HostClient(base or self.base, key)

    @property
    def admin(self) -> HostClient:
        return self.as_key(ADMIN_KEY, self.base.rstrip("/"))

    async def call(self, method: str, path: str, key: str | None = ADMIN_KEY, **kw: Any) -> Any:
        headers = {"X-API-Key": key} if key is not None else {}
        async with self.client.request(method, path, headers=headers, **kw) as answer:
            return answer.status, await answer.json()


def host_settings(tmp_path: Any, **overrides: Any) -> Settings:
    return make_settings(tmp_path, admin_key=ADMIN_KEY, **overrides)


@pytest.fixture
async def host(aiohttp_client: AiohttpClient, tmp_path: Any) -> Host:
    return Host(await aiohttp_client(create_app(host_settings(tmp_path))))
