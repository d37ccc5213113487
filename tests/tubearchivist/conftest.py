"""The TubeArchivist layer on a port of its own, beside the main port (the test client)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, tubearchivist_port=free_port())


@pytest.fixture
async def client(settings: Settings, make_client: MakeClient) -> Client:
    return await make_client(settings)


@pytest.fixture
async def ta(client: Client, settings: Settings) -> AsyncIterator[TaClient]:
    """A logged-in client on the layer's own port (auth is off: any login is the user)."""
    session = TaClient(f"http://127.0.0.1:{settings.tubearchivist_port}")
    await session.login("tubearchivist", "verysecret")
    yield session
    await session.close()
