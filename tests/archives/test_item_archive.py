"""/api/history/{id}/archive: a downloaded item in and out of its preset's archive."""

from __future__ import annotations

from pathlib import Path

from app.settings import Settings
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, call, finished

ARCHIVE_ID = "tubestashfixture v-basic"


async def _downloaded(
    client: Client, events: EventLog, site: FixtureSite, preset: str = "default"
) -> dict[str, object]:
    item = await add_one(client, site.url("/watch/v-basic"), preset=preset)
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    assert done["archive_id"] == ARCHIVE_ID
    return done


async def test_archive_and_unarchive_an_item(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    await call(client, "POST", "/api/presets", json={"name": "kept", "download_archive": "k.txt"})
    archive = settings.resolved().config_path / "archives" / "k.txt"
    uid = str((await _downloaded(client, events, fixture_site, "kept"))["_id"])
    # yt-dlp recorded the download itself.
    assert archive.read_text().splitlines() == [ARCHIVE_ID]
    path = f"/api/history/{uid}/archive"
    conflict = await call(client, "POST", path, status=409)
    assert conflict == {"error": f"item '{ARCHIVE_ID}' is already archived."}

    removed = await call(client, "DELETE", path)
    assert removed == {"message": f"item 'Basic fixture video' removed from '{archive}' archive."}
    assert archive.read_text() == ""
    assert (await call(client, "GET", f"/api/history/{uid}"))["is_archived"] is False
    await call(client, "DELETE", path, status=404)

    added = await call(client, "POST", path)
    assert added == {"message": f"item '{ARCHIVE_ID}' archived in file '{archive}'."}
    assert archive.read_text() == f"{ARCHIVE_ID}\n"
    assert (await call(client, "GET", f"/api/history/{uid}"))["is_archived"] is True


async def test_preset_without_archive_file(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    uid = (await _downloaded(client, events, fixture_site))["_id"]
    answer = await call(client, "POST", f"/api/history/{uid}/archive", status=404)
    assert answer == {"error": "Preset 'default' does not provide a download_archive."}
    await call(client, "DELETE", f"/api/history/{uid}/archive", status=400)
    archives: Path = settings.resolved().config_path / "archives"
    assert list(archives.iterdir()) == []


async def test_unknown_item(client: Client) -> None:
    for method in ("POST", "DELETE"):
        answer = await call(client, method, "/api/history/nope/archive", status=404)
        assert answer == {"error": "Item not found."}


async def test_archive_a_queued_item(client: Client, fixture_site: FixtureSite) -> None:
    await call(client, "POST", "/api/presets", json={"name": "kept", "download_archive": "k.txt"})
    url = fixture_site.url("/watch/v-basic")
    item = await add_one(client, url, preset="kept", auto_start=False)
    path = f"/api/history/{item['_id']}/archive"
    await call(client, "POST", path)
    assert (await call(client, "GET", f"/api/history/{item['_id']}"))["is_archived"] is True
    await call(client, "POST", path, status=409)
    await call(client, "DELETE", path)
    assert (await call(client, "GET", f"/api/history/{item['_id']}"))["is_archived"] is False


async def test_is_archived_follows_the_archive_file(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await call(client, "POST", "/api/presets", json={"name": "kept", "download_archive": "k.txt"})
    await call(client, "POST", "/api/presets", json={"name": "same", "download_archive": "k.txt"})
    done = await _downloaded(client, events, fixture_site, "kept")
    uid = str(done["_id"])
    assert done["is_archived"] is True  # yt-dlp archived it as it finished
    body = {"preset": "same", "items": [ARCHIVE_ID]}
    await call(client, "DELETE", "/api/archiver", json=body)
    assert (await call(client, "GET", f"/api/history/{uid}"))["is_archived"] is False
    await call(client, "POST", "/api/archiver", json=body)
    assert (await call(client, "GET", f"/api/history/{uid}"))["is_archived"] is True
