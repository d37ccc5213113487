"""Search and trending through a yt-dlp search extractor (the fixture site's), and info."""

from __future__ import annotations

import asyncio

import pytest

from tests.offlinetube.conftest import MakeOfflineTube, OfflineTube
from tests.server_process import free_port

RESULT_FIELDS = {"id", "title", "thumbnail", "duration", "uploader", "view_count", "url"}


async def test_search_goes_through_the_search_extractor(ot: OfflineTube) -> None:
    for answer in await ot.both("GET", "/api/search", params={"q": "fixture video"}):
        assert answer.status == 200
        body = answer.json()
        assert body["query"] == "fixture video"
        ids = [result["id"] for result in body["results"]]
        assert ids[:3] == ["v-basic", "v-second", "v-third"]
        first = body["results"][0]
        assert set(first) == RESULT_FIELDS
        assert first["title"] == "Basic fixture video"
        assert first["url"] == ot.site.url("/watch/v-basic")
        assert first["thumbnail"] == ot.site.url("/thumb/v-basic.jpg")


async def test_max_results_bounds_the_results(ot: OfflineTube) -> None:
    body = await ot.ok("GET", "/api/search", params={"q": "fixture", "max_results": "2"})
    assert [result["id"] for result in body["results"]] == ["v-basic", "v-second"]
    nothing = await ot.ok("GET", "/api/search", params={"q": "no such words"}, where="prefix")
    assert nothing == {"results": [], "query": "no such words"}


async def test_a_searched_url_is_looked_up(ot: OfflineTube) -> None:
    url = ot.site.url("/watch/v-third")
    body = await ot.ok("GET", "/api/search", params={"q": url})
    [found] = body["results"]
    assert (found["id"], found["title"], found["duration"]) == ("v-third", "Third fixture video", 3)


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({}, "q is required"),
        ({"q": "   "}, "q is required"),
        ({"q": "x" * 501}, "longer than"),
        ({"q": "fixture", "max_results": "0"}, "between 1 and 50"),
        ({"q": "fixture", "max_results": "51"}, "between 1 and 50"),
        ({"q": "fixture", "max_results": "many"}, "integer"),
    ],
)
async def test_bad_searches_are_400(ot: OfflineTube, params: dict[str, str], words: str) -> None:
    for answer in await ot.both("GET", "/api/search", params=params):
        assert answer.status == 400 and words in answer.detail


async def test_trending_searches_the_configured_words(make_ot: MakeOfflineTube) -> None:
    ot = await make_ot(offlinetube_trending="second")
    for answer in await ot.both("GET", "/api/trending"):
        assert answer.status == 200
        [result] = answer.json()["results"]
        assert list(answer.json()) == ["results"]
        assert result["id"] == "v-second"


async def test_an_unreachable_source_is_a_502(make_ot: MakeOfflineTube) -> None:
    ot = await make_ot(site=f"http://127.0.0.1:{free_port()}")
    for path in ("/api/search?q=fixture", "/api/trending"):
        for answer in await ot.both("GET", path):
            assert answer.status == 502
            assert answer.detail.startswith("The search source failed: ")


async def test_a_source_that_never_answers_is_a_502_not_a_hang(make_ot: MakeOfflineTube) -> None:
    held: list[asyncio.StreamWriter] = []

    async def hold(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        held.append(writer)  # accepts, reads nothing, answers nothing

    silent = await asyncio.start_server(hold, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    try:
        ot = await make_ot(site=f"http://127.0.0.1:{port}")
        answer = await ot.request("GET", "/api/search", params={"q": "fixture"})
        assert answer.status == 502 and "timed out" in answer.detail.lower()
        assert held, "the search never reached the source"
    finally:
        for writer in held:
            writer.close()
        silent.close()
        await silent.wait_closed()


async def test_an_unknown_search_key_is_a_502(make_ot: MakeOfflineTube) -> None:
    ot = await make_ot(offlinetube_search="nosuchsearch")
    answer = await ot.request("GET", "/api/search", params={"q": "fixture"})
    assert answer.status == 502 and "The search source failed" in answer.detail


async def test_info_lists_the_formats(ot: OfflineTube) -> None:
    url = ot.site.url("/watch/v-multi")
    for answer in await ot.both("POST", "/api/info", json={"url": url}):
        assert answer.status == 200
        info = answer.json()
        assert (info["id"], info["title"]) == ("v-multi", "Multi-format fixture video")
        assert info["duration_formatted"] == "0:03" and info["is_playlist"] is False
        formats = {fmt["format_id"]: fmt for fmt in info["formats"]}
        assert set(formats) == {"mp4-360", "mp4-720", "m4a-audio"}
        assert (formats["mp4-720"]["height"], formats["mp4-720"]["has_audio"]) == (720, True)
        assert formats["m4a-audio"]["resolution"] == "audio only"
        assert formats["m4a-audio"]["has_video"] is False
        assert formats["mp4-360"]["filesize"] > 0


@pytest.mark.parametrize(
    ("body", "status"),
    [({"url": "not a url"}, 400), ({}, 400), ({"url": "https://"}, 400)],
)
async def test_bad_info_requests(ot: OfflineTube, body: dict[str, str], status: int) -> None:
    for answer in await ot.both("POST", "/api/info", json=body):
        assert answer.status == status and answer.detail


async def test_info_of_a_missing_video_is_400(ot: OfflineTube) -> None:
    answer = await ot.request("POST", "/api/info", json={"url": ot.site.url("/watch/nope")})
    assert answer.status == 400 and answer.detail.startswith("Failed to extract info")
