"""Fixtures of the file API tests: the real app over loopback with the browser's controls
on, its download root, and a folder outside that root that nothing may reach."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.settings import Settings
from tests.conftest import Client, make_settings


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path, browser_control_enabled=True)


@pytest.fixture
def root(client: Client, settings: Settings) -> Path:
    """The download root (the app made it at start)."""
    return settings.resolved().download_path


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the root, with a secret in it: never listed, read, moved or removed."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "secret.txt").write_text("root:x:0:0")
    return folder
