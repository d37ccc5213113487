"""GET /api/thumbnail over real HTTP: a real local image server upstream, the real app."""

from __future__ import annotations

import asyncio
import socket
from ipaddress import ip_address, ip_network
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.blocking import loop_guard
from tests.conftest import Client, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.thumbnails.conftest import ImageServer

HINT = "YTP_ALLOW_INTERNAL_URLS"
JPEG_MAGIC = b"\xff\xd8\xff"


async def fetch(client: Client, url: str | None, status: int = 200) -> Any:
    params = {} if url is None else {"url": url}
    response = await client.get("/api/thumbnail", params=params)
    body = await response.read()
    assert response.status == status, (url, response.status, body[:300])
    return response, body


async def test_an_image_is_proxied_with_browser_caching(
    client: Client, fixture_site: FixtureSite
) -> None:
    response, body = await fetch(client, fixture_site.url("/thumb/v-basic.jpg"))
    assert body.startswith(JPEG_MAGIC)
    assert response.content_type == "image/jpeg"
    assert "max-age=" in response.headers["Cache-Control"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


async def test_a_second_request_is_answered_from_the_cache(
    client: Client, images: ImageServer
) -> None:
    with loop_guard():
        first, body = await fetch(client, images.url("/img.jpg"))
        second, again = await fetch(client, images.url("/img.jpg"))
    assert again == body == images.jpeg
    assert first.headers["X-Thumbnail-Cache"] == "miss"
    assert second.headers["X-Thumbnail-Cache"] == "hit"
    assert images.hits["/img.jpg"] == 1


async def test_requests_for_one_url_at_once_fetch_it_once(
    client: Client, images: ImageServer
) -> None:
    answers = await asyncio.gather(*(fetch(client, images.url("/img.jpg")) for _ in range(6)))
    assert all(body == images.jpeg for _, body in answers)
    assert images.hits["/img.jpg"] == 1


async def test_the_cache_stays_within_its_size(
    make_client: MakeClient, tmp_path: Path, images: ImageServer
) -> None:
    size = len(images.jpeg)
    settings = make_settings(tmp_path, thumbnail_cache_size=size * 2 + size // 2)
    client = await make_client(settings)
    for n in range(4):
        await fetch(client, images.url(f"/img.jpg?n={n}"))
    folder = settings.temp_path / "thumbnails"
    files = [p for p in folder.iterdir() if not p.name.startswith(".")]
    assert len(files) == 2
    assert sum(p.stat().st_size for p in files) <= settings.thumbnail_cache_size
    # The newest two are served from the cache; the oldest was evicted and is fetched again.
    hit, _ = await fetch(client, images.url("/img.jpg?n=3"))
    assert hit.headers["X-Thumbnail-Cache"] == "hit"
    miss, _ = await fetch(client, images.url("/img.jpg?n=0"))
    assert miss.headers["X-Thumbnail-Cache"] == "miss"


async def test_the_cache_survives_a_restart(
    make_client: MakeClient, tmp_path: Path, images: ImageServer
) -> None:
    settings = make_settings(tmp_path)
    first = await make_client(settings)
    await fetch(first, images.url("/img.jpg"))
    await first.close()
    second = await make_client(settings)
    response, body = await fetch(second, images.url("/img.jpg"))
    assert response.headers["X-Thumbnail-Cache"] == "hit"
    assert body == images.jpeg
    assert images.hits["/img.jpg"] == 1


async def test_an_untyped_answer_is_sniffed(client: Client, images: ImageServer) -> None:
    response, body = await fetch(client, images.url("/untyped"))
    assert response.content_type == "image/jpeg"
    assert body == images.jpeg


@pytest.mark.parametrize("path", ["/page.html", "/lying.jpg", "/img.svg"])
async def test_what_is_not_an_image_is_refused(
    client: Client, images: ImageServer, path: str
) -> None:
    _, body = await fetch(client, images.url(path), 415)
    assert b"not an image" in body
    # Nothing refused is cached: it is asked again.
    await fetch(client, images.url(path), 415)
    assert images.hits[path] == 2


@pytest.mark.parametrize("path", ["/big.jpg", "/big-unsized.jpg"])
async def test_an_image_over_the_size_cap_is_refused(
    make_client: MakeClient, tmp_path: Path, images: ImageServer, path: str
) -> None:
    cap = len(images.jpeg) + 16 * 1024
    client = await make_client(make_settings(tmp_path, thumbnail_max_size=cap))
    _, body = await fetch(client, images.url(path), 413)
    assert f"larger than {cap} bytes".encode() in body


async def test_a_slow_upstream_times_out(
    make_client: MakeClient, tmp_path: Path, images: ImageServer
) -> None:
    client = await make_client(make_settings(tmp_path, thumbnail_timeout=0.5))
    _, body = await fetch(client, images.url("/slow.jpg"), 504)
    assert b"did not answer within 0.5 s" in body


async def test_upstream_failures_are_502(client: Client, images: ImageServer) -> None:
    _, body = await fetch(client, images.url("/missing.jpg"), 502)
    assert b"HTTP 404" in body
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    await fetch(client, f"http://127.0.0.1:{port}/img.jpg", 502)
    for target in ("ftp://example.com/x.jpg", "http://xn--/x.jpg", "http://a:99999/"):
        await fetch(client, images.url(f"/redirect?to={target}"), 502)


@pytest.mark.parametrize(
    "url",
    [
        None,
        "",
        "ftp://example.com/a.jpg",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "data:image/png;base64,iVBORw0KGgo=",
        "not a url",
        "http://",
        "/api/thumbnail",
        "http://exa mple.com/a.jpg",
        "http://[::1/a.jpg",
        "http://example.com:99999/a.jpg",
        "http://xn--/a.jpg",
        "http://\u2028.example/a.jpg",
        "http://user@/a.jpg",
        "http://example.com/" + "a" * 5000,
    ],
)
async def test_bad_urls_are_400(client: Client, url: str | None) -> None:
    _, body = await fetch(client, url, 400)
    assert b'"error"' in body


def internal_spellings(images: ImageServer) -> list[str]:
    """One loopback image server, written each way a resolver accepts, and other internals."""
    port = urlsplit(images.base_url).port
    path = "/img.jpg"
    return [
        images.url(path),
        f"http://127.1:{port}{path}",
        f"http://0x7f.0.0.1:{port}{path}",
        f"http://2130706433:{port}{path}",
        f"http://017700000001:{port}{path}",
        f"http://[::ffff:127.0.0.1]:{port}{path}",
        f"http://localhost:{port}{path}",
        f"http://LOCALHOST.:{port}{path}",
        f"http://thumbs.localhost:{port}{path}",
        f"http://[::1]:{port}{path}",
        f"http://0.0.0.0:{port}{path}",
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/a.jpg",
        "http://192.168.1.1/a.jpg",
        "https://100.64.0.1/a.jpg",
    ]


@pytest.fixture
async def strict(make_client: MakeClient, tmp_path: Path) -> Client:
    return await make_client(make_settings(tmp_path, allow_internal_urls=False))


async def test_internal_addresses_are_refused(strict: Client, images: ImageServer) -> None:
    for url in internal_spellings(images):
        _, body = await fetch(strict, url, 403)
        assert HINT.encode() in body, (url, body)
    assert sum(images.hits.values()) == 0


async def test_a_name_that_resolves_to_loopback_is_refused(
    strict: Client, images: ImageServer
) -> None:
    """The machine's own name (in /etc/hosts) passes the up-front check; DNS answers do not."""
    name = socket.gethostname()
    found = await asyncio.to_thread(socket.getaddrinfo, name, None)
    if not found or not all(ip_address(str(f[4][0])).is_loopback for f in found):
        pytest.skip(f"{name} does not resolve to loopback here")
    port = urlsplit(images.base_url).port
    _, body = await fetch(strict, f"http://{name}:{port}/img.jpg", 403)
    assert HINT.encode() in body
    assert sum(images.hits.values()) == 0


async def test_a_redirect_to_loopback_is_refused(
    make_client: MakeClient, tmp_path: Path, images: ImageServer, other_images: ImageServer
) -> None:
    """127.0.0.2 is listed as allowed; it redirects to 127.0.0.1, which is not."""
    settings = make_settings(
        tmp_path, allow_internal_urls=False, allowed_networks=(ip_network("127.0.0.2/32"),)
    )
    client = await make_client(settings)
    response, _ = await fetch(client, other_images.url("/img.jpg"))  # the listed one works
    assert response.content_type == "image/jpeg"
    port = urlsplit(images.base_url).port
    for target in (images.url("/img.jpg"), f"http://2130706433:{port}/img.jpg"):
        _, body = await fetch(client, other_images.url(f"/redirect?to={target}"), 403)
        assert HINT.encode() in body
    assert images.hits["/img.jpg"] == 0
