"""The NFO builders are pure: info dict in, XML bytes out."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from app.core.errors import InvalidInput
from app.ytdlp.nfo import build_nfo, release_date

INFO = {
    "id": "abc",
    "title": "A <title> & more",
    "description": "Line one\nline two",
    "upload_date": "20231231",
    "duration": 125,
    "uploader": "Someone",
    "extractor_key": "Youtube",
    "thumbnail": "https://example.com/t.jpg",
}


def test_episode_fields_and_escaping() -> None:
    root = ET.fromstring(build_nfo(INFO, "tv"))
    assert [child.tag for child in root] == [
        "title", "showtitle", "plot", "aired", "premiered", "year", "runtime", "studio",
        "uniqueid", "thumb",
    ]  # fmt: skip
    assert root.findtext("title") == "A <title> & more"
    assert root.findtext("plot") == "Line one\nline two"
    assert root.findtext("runtime") == "2"
    assert root.findtext("studio") == "Someone"
    assert root.findtext("thumb") == "https://example.com/t.jpg"
    unique = root.find("uniqueid")
    assert unique is not None and unique.attrib["type"] == "youtube"


def test_dates_fall_back_to_timestamps() -> None:
    assert str(release_date({"release_date": "20200229"})) == "2020-02-29"
    assert str(release_date({"upload_date": "20231340", "timestamp": 0})) == "1970-01-01"
    assert release_date({"upload_date": "soon"}) is None


def test_no_date_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no valid upload date"):
        build_nfo({**INFO, "upload_date": None}, "movie")
