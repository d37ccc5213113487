"""The documentation is tested: every setting is in the README, every route in API.md."""

from __future__ import annotations

import re
from pathlib import Path

from app.server import create_app
from app.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    for name in Settings.model_fields:
        assert f"`YTP_{name.upper()}`" in readme, f"YTP_{name.upper()} is missing from README"


def test_every_route_is_in_api_md(tmp_path: Path) -> None:
    api = (ROOT / "API.md").read_text()
    headings = {line.split()[-1] for line in api.splitlines() if line.startswith("### ")}
    app = create_app(Settings(config_path=tmp_path, download_path=tmp_path, temp_path=tmp_path))
    routes = {
        re.sub(r"\{(\w+)(:[^}]*)?\}", r"{\1}", resource.canonical.rstrip("/"))
        for resource in app.router.resources()
    }
    missing = sorted(r for r in routes if r.startswith("/api") and r not in headings)
    assert not missing, f"routes missing from API.md: {missing}"
