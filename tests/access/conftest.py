"""The real app with an admin key set, and keys of each role made through the native API."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_aiohttp import AiohttpClient

from app.server import create_app
from tests.conftest import Client, make_settings

ADMIN_KEY = "admin-key-for-the-tests-0123456789"


async def make_key(client: Client, name: str, role: str = "downloader", **extra: Any) -> str:
    body = {"name": name, "role": role, **extra}
    answer = await client.post("/api/keys", json=body, headers={"X-API-Key": ADMIN_KEY})
    assert answer.status == 201, await answer.text()
    key: str = (await answer.json())["key"]
    return key


@pytest.fixture
async def keyed(aiohttp_client: AiohttpClient, tmp_path: Any) -> Client:
    """No Basic auth configured (open on loopback), keys checked when presented."""
    return await aiohttp_client(create_app(make_settings(tmp_path, admin_key=ADMIN_KEY)))


@pytest.fixture
async def downloader(keyed: Client) -> str:
    return await make_key(keyed, "phone")
