"""A download root holding the player's test media (made once per run, linked per test)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import Client, MakeClient, make_settings
from tests.fixtures.shared import locked, shared_folder
from tests.player.media import make_library


@pytest.fixture(scope="session")
def player_media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Made once per run: the first xdist worker makes it while the others wait."""
    with locked(shared_folder(tmp_path_factory, "player-media")) as root:
        return make_library(root)


def stock(download_path: Path, media: Path) -> None:
    """Hard links (copies across file systems) of the media into a fresh download root."""
    download_path.mkdir(parents=True, exist_ok=True)
    for source in media.iterdir():
        if source.name.startswith("."):
            continue
        try:
            (download_path / source.name).hardlink_to(source)
        except OSError:
            shutil.copy2(source, download_path / source.name)


@pytest.fixture
def settings(tmp_path: Path, player_media: Path) -> Settings:
    settings = make_settings(tmp_path)
    stock(settings.download_path, player_media)
    return settings


@pytest.fixture
async def client(settings: Settings, make_client: MakeClient) -> Client:
    return await make_client(settings)
