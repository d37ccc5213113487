"""A video whose extractor gives everything: subtitles are searchable, comments threaded."""

from __future__ import annotations

from app import keys
from tests.conftest import Client, EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import add_one, call, finished
from tests.tubearchivist.client import TaClient


async def test_subtitles_and_comments_from_the_download_reach_the_library(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    cli = "--write-subs --sub-langs en --get-comments"
    item = await add_one(client, fixture_site.url("/watch/v-rich"), cli=cli)
    done = await finished(events, item["_id"])
    assert done["status"] == "finished", done
    await client.app[keys.LIBRARY].settled()

    found = await call(client, "GET", "/api/library/search", params={"q": "aardvark marmalade"})
    assert [hit["video"]["video_id"] for hit in found["items"]] == ["v-rich"]  # subtitle words
    video = (await ta.get("api/video/v-rich/"))["data"]
    assert video["channel"]["channel_id"] == "ch-rich"
    assert video["tags"] == ["fixture", "library", "metadata"]
    [subtitle] = video["subtitles"]
    assert (subtitle["lang"], subtitle["ext"], subtitle["source"]) == ("en", "vtt", "user")
    status, text = await ta.call("GET", subtitle["media_url"])
    assert status == 200 and b"aardvark" in text

    comments = (await ta.get("api/video/v-rich/comment/"))["data"]
    assert [(c["comment_id"], c["comment_text"]) for c in comments] == [
        ("c1", "First comment"),
        ("c3", "Another comment"),
    ]
    assert [r["comment_id"] for r in comments[0]["comment_replies"]] == ["c2"]
    assert comments[0]["comment_author"] == "Fixture Viewer"


async def test_comments_are_kept_only_when_the_download_asked_for_them(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    item = await add_one(client, fixture_site.url("/watch/v-rich"))
    assert (await finished(events, item["_id"]))["status"] == "finished"
    await client.app[keys.LIBRARY].settled()
    assert (await ta.get("api/video/v-rich/comment/"))["data"] == []
    assert (await ta.get("api/video/v-rich/"))["data"]["subtitles"] == []
