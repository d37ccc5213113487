"""/api/history/{id}/nfo: a Kodi NFO beside a real download, built from fresh metadata."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from app.settings import Settings
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, call, finished


async def _download(
    client: Client, events: EventLog, site: FixtureSite, settings: Settings
) -> tuple[str, Path]:
    item = await add_one(client, site.url("/watch/v-basic"))
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    return str(done["_id"]), settings.resolved().download_path / str(done["filename"])


def _fields(root: ET.Element) -> dict[str, str | None]:
    return {child.tag: child.text for child in root}


async def test_tv_nfo_then_conflict_then_movie_overwrite(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    uid, media = await _download(client, events, fixture_site, settings)
    nfo = media.with_suffix(".nfo")
    answer = await call(client, "POST", f"/api/history/{uid}/nfo")
    assert answer == {"message": "NFO file created", "nfo_file": nfo.name}

    root = ET.parse(nfo).getroot()
    assert root.tag == "episodedetails"
    fields = _fields(root)
    assert fields["title"] == "Basic fixture video"
    assert fields["showtitle"] == fields["studio"] == "Fixture Channel"
    assert fields["plot"] == "The plain case."
    assert fields["aired"] == fields["premiered"] == "2024-01-15"
    assert fields["year"] == "2024"
    assert fields["runtime"] == "1"  # 3 s rounds up to Kodi's smallest unit
    unique = root.find("uniqueid")
    assert unique is not None and unique.text == "v-basic"
    assert unique.attrib == {"type": "tubestashfixture", "default": "true"}

    conflict = await call(client, "POST", f"/api/history/{uid}/nfo", json={}, status=409)
    assert conflict == {"error": "NFO file already exists."}
    assert ET.parse(nfo).getroot().tag == "episodedetails"

    body = {"type": "movie", "overwrite": True}
    await call(client, "POST", f"/api/history/{uid}/nfo", json=body)
    movie = ET.parse(nfo).getroot()
    assert movie.tag == "movie"
    fields = _fields(movie)
    assert fields["premiered"] == "2024-01-15" and "aired" not in fields
    assert "showtitle" not in fields and fields["studio"] == "Fixture Channel"
    assert sorted(p.name for p in media.parent.iterdir()) == sorted([media.name, nfo.name])


async def test_bad_requests_write_nothing(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    uid, media = await _download(client, events, fixture_site, settings)
    path = f"/api/history/{uid}/nfo"
    for body in ({"type": "episode"}, {"overwrite": "yes"}, {"kind": "tv"}, ["tv"]):
        await call(client, "POST", path, json=body, status=400)
    await call(client, "POST", "/api/history/nope/nfo", status=404)
    assert not media.with_suffix(".nfo").exists()

    media.unlink()
    answer = await call(client, "POST", path, status=404)
    assert "not found" in answer["error"]
    assert list(media.parent.iterdir()) == []
