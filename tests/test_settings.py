"""Settings come from YTP_* variables; a bad one stops start-up with one clear line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("name", "value"),
    [("YTP_PORT", "eighty"), ("YTP_MAX_WORKERS", "0"), ("YTP_REMOVE_FILES", "perhaps")],
)
def test_a_bad_value_stops_start_up(tmp_path: Path, name: str, value: str) -> None:
    env = {**os.environ, "YTP_CONFIG_PATH": str(tmp_path), name: value}
    result = subprocess.run(
        [sys.executable, "main.py"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert name in lines[0]


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YTP_MAX_WORKERS", "4")
    monkeypatch.setenv("YTP_BASE_PATH", "tube/")
    settings = Settings()
    assert settings.max_workers == 4
    assert settings.base_path == "/tube"
    assert settings.port == 8081
    assert settings.host == "127.0.0.1"
    assert not settings.auth_enabled
