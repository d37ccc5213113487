"""The NFO presets write the NFO during the download, beside the media file."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.settings import Settings
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, finished


@pytest.mark.parametrize(
    ("preset", "root_tag"), [("nfo_tv", "episodedetails"), ("nfo_movie", "movie")]
)
async def test_nfo_preset_writes_the_nfo(
    client: Client,
    events: EventLog,
    fixture_site: FixtureSite,
    settings: Settings,
    preset: str,
    root_tag: str,
) -> None:
    item = await add_one(client, fixture_site.url("/watch/v-basic"), preset=preset)
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    media = settings.resolved().download_path / done["filename"]
    nfo = ET.parse(media.with_suffix(".nfo")).getroot()
    assert nfo.tag == root_tag
    assert nfo.findtext("title") == "Basic fixture video"
    assert nfo.findtext("plot") == "The plain case."
    assert nfo.findtext("premiered") == "2024-01-15"
    assert nfo.findtext("studio") == "Fixture Channel"
    unique = nfo.find("uniqueid")
    assert unique is not None and unique.text == "v-basic"
    if preset == "nfo_tv":
        assert nfo.findtext("aired") == "2024-01-15"
        assert media.parent.name == "Season 2024"
        assert media.parent.parent.name == "Fixture Channel"
