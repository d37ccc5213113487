"""By default, downloads and extractions reach public addresses only, on every hop.

The fixture site listens on loopback, which is exactly what the default refuses: these
tests turn ``allow_internal_urls`` off (every other test turns it on).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from ipaddress import ip_network
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiohttp import web

from app import keys
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, add_settled, finished

HINT = "YTP_ALLOW_INTERNAL_URLS"


def spellings(site: FixtureSite) -> list[str]:
    """One loopback address, written each way a resolver accepts."""
    port = urlsplit(site.url("/")).port
    path = "/watch/v-basic"
    return [
        site.url(path),
        f"http://127.1:{port}{path}",
        f"http://0x7f.0.0.1:{port}{path}",
        f"http://2130706433:{port}{path}",
        f"http://017700000001:{port}{path}",
        f"http://[::ffff:127.0.0.1]:{port}{path}",
        f"http://localhost:{port}{path}",
        f"http://LOCALHOST.:{port}{path}",
        f"http://tubestash.localhost:{port}{path}",
        f"http://[::1]:{port}{path}",
        f"http://0.0.0.0:{port}{path}",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/video.mp4",
        "http://100.64.0.1/video.mp4",
        "http://192.168.1.1/video.mp4",
    ]


@pytest.fixture
async def strict(make_client: MakeClient, tmp_path: Path) -> Client:
    return await make_client(make_settings(tmp_path, allow_internal_urls=False))


async def test_internal_urls_are_refused_up_front(
    strict: Client, fixture_site: FixtureSite
) -> None:
    for url in spellings(fixture_site):
        response = await strict.post("/api/history", json={"url": url})
        body = await response.json()
        assert response.status == 400, (url, body)
        assert HINT in body["error"], (url, body)
        info = await strict.get("/api/yt-dlp/url/info", params={"url": url})
        assert info.status == 400, url
        assert HINT in (await info.json())["error"]
    live = await (await strict.get("/api/history/live")).json()
    assert live["queue"] == {}


@pytest.fixture
async def redirector(fixture_site: FixtureSite) -> AsyncIterator[str]:
    """A server on another loopback address that sends every request to the fixture site."""

    async def bounce(request: web.Request) -> web.Response:
        raise web.HTTPFound(fixture_site.url(request.path_qs))

    app = web.Application()
    app.router.add_get("/{tail:.*}", bounce)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.2", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.2:{port}"
    await runner.cleanup()


async def test_a_redirect_to_an_internal_address_is_refused_where_it_connects(
    make_client: MakeClient, tmp_path: Path, redirector: str
) -> None:
    """127.0.0.2 is listed as allowed; it redirects to 127.0.0.1, which is not."""
    settings = make_settings(
        tmp_path, allow_internal_urls=False, allowed_networks=(ip_network("127.0.0.2/32"),)
    )
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    [answer] = await add_settled(client, {"url": f"{redirector}/watch/v-basic"})
    if answer["status"] == "queued":
        item = await finished(events, answer["item"]["_id"])
        assert item["status"] == "error"
        message = item.get("error") or item.get("msg") or ""
    else:
        message = answer["msg"]
    assert HINT in message, message
    downloads = settings.download_path
    assert not downloads.exists() or not any(downloads.rglob("*.mp4"))


async def test_listed_networks_are_reachable(
    make_client: MakeClient, tmp_path: Path, fixture_site: FixtureSite
) -> None:
    settings = make_settings(
        tmp_path, allow_internal_urls=False, allowed_networks=(ip_network("127.0.0.0/8"),)
    )
    client = await make_client(settings)
    events = EventLog(client.app[keys.WIRE])
    item = await add_one(client, fixture_site.url("/watch/v-basic"))
    assert (await finished(events, item["_id"]))["status"] == "finished"
