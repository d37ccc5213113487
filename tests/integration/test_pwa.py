"""The installable app: the web app manifest (with its share target) and the service worker
are served from the root of the app, with their own types, behind the same doors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpClient

from app.system import ui
from tests.conftest import MakeClient, make_settings

PUBLIC = Path(__file__).resolve().parents[2] / "ui" / "public"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build's root files: the sources Vite copies, and a page."""
    folder = tmp_path / "dist"
    shutil.copytree(PUBLIC, folder)
    (folder / "index.html").write_text("<!doctype html><title>Tubestash</title>")
    (folder / "icon-192.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


async def test_the_manifest_describes_an_installable_share_target(
    aiohttp_client: AiohttpClient, dist: Path
) -> None:
    app = web.Application()
    ui.setup(app, dist)
    ui.setup_root_files(app, dist)
    client = await aiohttp_client(app)
    answer = await client.get("/manifest.webmanifest")
    assert answer.status == 200
    assert answer.content_type == "application/manifest+json"
    assert answer.headers["Cache-Control"] == "no-cache"
    manifest = json.loads(await answer.text())
    assert manifest["name"] == "Tubestash"
    assert manifest["display"] == "standalone"
    # Relative to the manifest's own address: right at / and under YTP_BASE_PATH alike.
    assert manifest["start_url"] == manifest["scope"] == "./"
    sizes = {icon["sizes"] for icon in manifest["icons"] if icon["type"] == "image/png"}
    assert {"192x192", "512x512"} <= sizes
    assert any(icon.get("purpose") == "maskable" for icon in manifest["icons"])
    share = manifest["share_target"]
    assert share["action"] == "./"
    assert share["method"] == "GET"
    assert share["params"] == {"title": "title", "text": "text", "url": "url"}

    worker = await client.get("/sw.js")
    assert worker.status == 200
    assert worker.content_type == "text/javascript"
    assert worker.headers["Cache-Control"] == "no-cache"
    assert "/api/" not in await worker.text()  # it caches no API answer

    icon = await client.get("/icon-192.png")
    assert icon.content_type == "image/png"
    assert "max-age" in icon.headers["Cache-Control"]
    for name in (".hidden.js", "missing.webmanifest"):
        assert (await client.get(f"/{name}")).status == 404


@pytest.mark.skipif(
    not (ui.UI_DIST / "manifest.webmanifest").is_file(),
    reason="needs the built UI (bash scripts/build-ui.sh)",
)
async def test_the_built_app_serves_them_under_its_base_path_behind_the_doors(
    make_client: MakeClient, tmp_path: Path
) -> None:
    client = await make_client(make_settings(tmp_path, base_path="/tube"))
    manifest = await client.get("/tube/manifest.webmanifest")
    assert manifest.status == 200
    for icon in json.loads(await manifest.text())["icons"]:
        answer = await client.get(f"/tube/{icon['src']}")
        assert answer.status == 200, icon
        assert answer.content_type == icon["type"]
    assert (await client.get("/tube/sw.js")).content_type == "text/javascript"
    # A foreign Host is refused here as everywhere (DNS rebinding).
    refused = await client.get("/tube/manifest.webmanifest", headers={"Host": "evil.example"})
    assert refused.status == 403
