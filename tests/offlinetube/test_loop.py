"""Every OfflineTube endpoint, run again with the blocking-call guard on (``tests.blocking``)."""

from __future__ import annotations

from urllib.parse import quote

from tests.blocking import loop_guard
from tests.offlinetube.conftest import OfflineTube


async def every_endpoint(ot: OfflineTube) -> None:
    done = await ot.completed("/watch/v-basic")
    uid = done["id"]
    answers = [
        await ot.request("GET", "/api/downloads"),
        await ot.request("GET", f"/api/download/{uid}/file", headers={"Range": "bytes=0-99"}),
        await ot.request("GET", "/api/stream/" + quote(done["filename"]), "prefix"),
        await ot.request("GET", "/api/stream/no-such-file"),
        await ot.request("GET", done["thumbnail"]),
        await ot.request("GET", "/api/search", params={"q": "fixture"}),
        await ot.request("GET", "/api/trending"),
        await ot.request("POST", "/api/info", json={"url": ot.site.url("/watch/v-multi")}),
        await ot.request("GET", "/openapi.json"),
        await ot.request("DELETE", f"/api/downloads/{uid}/remove"),
    ]
    slow = await ot.download("/watch/v-second?rate=4000")
    answers.append(await ot.request("DELETE", f"/api/downloads/{slow['id']}"))
    assert [answer.status for answer in answers] == [200, 206, 200, 404, *[200] * 6, 200]


async def test_the_layer_never_blocks_the_loop(ot: OfflineTube) -> None:
    await every_endpoint(ot)  # once-per-process costs (imports, caches) come first
    with loop_guard() as blocking_calls:
        await every_endpoint(ot)
    assert blocking_calls == []
