"""Documents, the random background, development endpoints, configuration and shutdown."""

from __future__ import annotations

import asyncio
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from app import keys
from app.settings import Settings
from app.system.docs import PROJECT_ROOT
from tests.conftest import Client, EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import add_one, call, finished
from tests.server_process import ServerProcess

DOCS = ["README.md", "API.md", "ARCHITECTURE.md", "CHANGELOG.md", "FAQ.md"]


@pytest.mark.parametrize("name", DOCS)
async def test_documents_are_served_by_name(client: Client, name: str) -> None:
    for path in (f"/api/docs/{name}", f"/{name}"):
        response = await client.get(path)
        assert response.status == 200, path
        assert response.headers["Content-Type"] == "text/markdown; charset=utf-8"
        assert "max-age=3600" in response.headers["Cache-Control"]
        assert await response.text() == (PROJECT_ROOT / name).read_text()


@pytest.mark.parametrize(
    "path",
    [
        "/api/docs/pyproject.toml",
        "/api/docs/..%2Fpyproject.toml",
        "/api/docs/..%2F..%2F..%2Fetc%2Fpasswd",
        "/api/docs/%2e%2e%2fpyproject.toml",
        "/api/docs/%2Fetc%2Fpasswd",
        "/api/docs/app%2Fsettings.py",
        "/api/docs/README.md%00",
        "/api/docs/readme.md",
        "/api/docs/README.md%2F..%2Fpyproject.toml",
        "/api/docs/.git%2Fconfig",
        "/api/docs/sc_short.jpg",
    ],
)
async def test_anything_else_is_not_found(client: Client, path: str) -> None:
    response = await client.get(path, allow_redirects=False)
    assert response.status == 404, path
    assert await response.json() == {"error": "Doc file not found."}


async def test_dot_segments_never_reach_a_file(client: Client) -> None:
    # Clients normalise "..": sent raw, the server does too, and lands on no document.
    for raw in ("/api/docs/../../pyproject.toml", "/api/docs/./../main.py"):
        response = await client.get(raw, allow_redirects=False)
        assert response.status in (404, 200)
        if response.status == 200:  # normalised to a page of the UI, never the file
            assert "[build-system]" not in await response.text()


async def test_background_is_204_without_a_library(client: Client) -> None:
    response = await client.get("/api/random/background", allow_redirects=False)
    assert response.status == 204


async def test_background_comes_from_a_finished_download(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    item = await add_one(client, fixture_site.url("/watch/v-basic"))
    done = await finished(events, item["_id"])
    assert done["status"] == "finished"
    response = await client.get("/api/random/background", allow_redirects=False)
    assert response.status == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/api/thumbnail"
    assert parse_qs(location.query)["url"] == [done["extras"]["thumbnail"]]


async def test_background_prefers_the_thumbnail_on_disk(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    url = fixture_site.url("/watch/v-basic")
    item = await add_one(client, url, cli="--write-thumbnail --convert-thumbnails jpg")
    done = await finished(events, item["_id"])
    image = (settings.resolved().download_path / done["filename"]).with_suffix(".jpg")
    assert image.is_file()
    response = await client.get("/api/random/background", allow_redirects=False)
    assert response.status == 200
    assert response.content_type == "image/jpeg"
    assert await response.read() == image.read_bytes()


async def test_background_never_follows_a_thumbnail_out_of_the_root(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings, tmp_path: Path
) -> None:
    item = await add_one(client, fixture_site.url("/watch/v-basic"))
    done = await finished(events, item["_id"])
    outside = tmp_path / "secret.jpg"
    outside.write_bytes(b"not for clients")
    media = settings.resolved().download_path / done["filename"]
    media.with_suffix(".jpg").symlink_to(outside)
    response = await client.get("/api/random/background", allow_redirects=False)
    assert response.status == 302  # the symlink is ignored: the address is used instead


@pytest.mark.parametrize("path", ["/api/dev/loop", "/api/dev/pip"])
async def test_development_endpoints_need_dev_mode(client: Client, path: str) -> None:
    answer = await call(client, "GET", path, status=403)
    assert answer == {"error": "Development mode is not enabled."}


async def test_development_endpoints_in_dev_mode(tmp_path: Path, make_client: MakeClient) -> None:
    client = await make_client(make_settings(tmp_path, dev_mode=True))
    loop = await call(client, "GET", "/api/dev/loop")
    assert loop["total_tasks"] >= 1 and loop["total_tasks"] >= len(loop["tasks"])
    assert "Loop" in loop["loop"]
    assert all(isinstance(task["stack"], list) for task in loop["tasks"])
    pip = await call(client, "GET", "/api/dev/pip")
    config = await call(client, "GET", "/api/system/configuration")
    assert pip["yt-dlp"] == config["app"]["ytdlp_version"]
    assert "aiohttp" in pip


YTPTUBE_APP_KEYS = {
    "download_path", "base_path", "default_pagination", "max_workers",
    "max_workers_per_extractor", "default_preset", "console_enabled",
    "browser_control_enabled", "remove_files", "app_version", "ytdlp_version", "started",
    "file_logging", "check_for_updates", "new_version", "output_template", "instance_title",
    "ui_update_title", "simple_mode", "is_native", "keep_archive", "tasks_handler_timer",
}  # fmt: skip


async def test_configuration_carries_what_the_ui_reads(
    tmp_path: Path, make_client: MakeClient
) -> None:
    settings = make_settings(
        tmp_path, instance_title="Home", simple_mode=True, auth_username="u", auth_password="pw"
    )
    client = await make_client(settings)
    headers = {"Authorization": "Basic dTpwdw=="}
    config = await call(client, "GET", "/api/system/configuration", headers=headers)
    app = config["app"]
    assert set(app) >= YTPTUBE_APP_KEYS
    assert app["instance_title"] == "Home" and app["simple_mode"] is True
    assert app["file_logging"] is True and app["is_native"] is False
    assert app["output_template"] == "%(title)s.%(ext)s"
    assert isinstance(app["started"], float)
    assert "pw" not in str(config) and "dTpwdw" not in str(config)
    assert isinstance(config["queue"], dict)


async def test_an_empty_list_is_one_page(client: Client) -> None:
    answer = await call(client, "GET", "/api/tasks/?page=1")
    assert answer["pagination"]["total"] == 0
    assert answer["pagination"]["total_pages"] == 1
    assert answer["pagination"]["has_next"] is False


async def test_shutdown_outside_native_mode_is_a_400(client: Client) -> None:
    answer = await call(client, "POST", "/api/system/shutdown", status=400)
    assert answer == {"error": "Shutdown is only available in native mode."}
    assert not client.app[keys.LIFECYCLE].stopping


async def test_shutdown_is_a_state_change_behind_the_doors(
    tmp_path: Path, make_client: MakeClient
) -> None:
    client = await make_client(
        make_settings(tmp_path, native=True, auth_username="u", auth_password="pw")
    )
    await call(client, "POST", "/api/system/shutdown", status=401)
    foreign = {"Origin": "https://evil.example", "Authorization": "Basic dTpwdw=="}
    await call(client, "POST", "/api/system/shutdown", status=403, headers=foreign)
    assert not client.app[keys.LIFECYCLE].stopping
    answer = await call(
        client, "POST", "/api/system/shutdown", headers={"Authorization": "Basic dTpwdw=="}
    )
    assert answer == {"message": "The application shutting down."}
    assert client.app[keys.LIFECYCLE].stopping


@pytest.mark.slow
def test_shutdown_stops_a_native_server(tmp_path: Path) -> None:
    server = ServerProcess(tmp_path, YTP_NATIVE="true")
    server.start()
    try:
        answer = requests.post(f"{server.base_url}/api/system/shutdown", timeout=30)
        assert answer.status_code == 200
        assert answer.json() == {"message": "The application shutting down."}
        assert server.process is not None
        assert server.process.wait(timeout=60) == 0
    finally:
        server.stop()


async def test_background_and_docs_need_no_outside_service(client: Client) -> None:
    # Nothing here may reach the network: a 204 and a document come from this machine.
    answers = await asyncio.gather(
        client.get("/api/random/background", allow_redirects=False), client.get("/README.md")
    )
    assert [a.status for a in answers] == [204, 200]
