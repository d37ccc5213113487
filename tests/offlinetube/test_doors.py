"""The doors around OfflineTube: the seed's CORS for reads while auth is on, same origin for
changes, the Host check, the native credentials when they are on; the layer's own document."""

from __future__ import annotations

import base64

import pytest
from aiohttp import web

from app.compat.offlinetube.setup import LAYER as OFFLINETUBE
from app.core.openapi import document_of
from tests.offlinetube.conftest import MakeOfflineTube, OfflineTube

FOREIGN = "http://attacker.example"
FOREIGN_PAGE = {"Origin": FOREIGN, "Sec-Fetch-Site": "cross-site"}


def basic(user: str, password: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


BASIC = basic("admin", "pw")


async def test_without_auth_foreign_pages_read_nothing(ot: OfflineTube) -> None:
    # With no credentials asked, an open read would hand any website the user's downloads.
    for answer in await ot.both("GET", "/api/downloads", headers=FOREIGN_PAGE):
        assert "Access-Control-Allow-Origin" not in answer.headers
    preflight = {
        "Origin": FOREIGN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "range",
    }
    for answer in await ot.both("OPTIONS", "/api/stream/x.mp4", headers=preflight):
        assert answer.status == 403


async def test_with_auth_every_origin_may_read_what_its_credentials_open(
    make_ot: MakeOfflineTube,
) -> None:
    ot = await make_ot(auth_username="admin", auth_password="pw")
    for headers in (FOREIGN_PAGE, {**FOREIGN_PAGE, **BASIC}):
        for answer in await ot.both("GET", "/api/downloads", headers=headers):
            assert answer.headers["Access-Control-Allow-Origin"] == FOREIGN
            assert "Access-Control-Allow-Credentials" not in answer.headers
            assert answer.status == (200 if "Authorization" in headers else 401)
    # A GET's preflight (a Range or Authorization header, say) is answered for any origin.
    preflight = {
        "Origin": FOREIGN,
        "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "authorization, range",
    }
    for answer in await ot.both("OPTIONS", "/api/stream/x.mp4", headers=preflight):
        assert answer.status == 204
        assert answer.headers["Access-Control-Allow-Origin"] == FOREIGN


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/api/download"), ("DELETE", "/api/downloads/x"), ("POST", "/api/info")],
)
async def test_foreign_pages_cannot_change_anything(
    ot: OfflineTube, method: str, path: str
) -> None:
    body = {"url": ot.site.url("/watch/v-basic")}
    for answer in await ot.both(method, path, headers=FOREIGN_PAGE, json=body):
        assert answer.status == 403
        assert answer.detail.startswith("Cross-origin request refused")
    # Nor may they preflight one (so no header of theirs can pose as a credential).
    preflight = {"Origin": FOREIGN, "Access-Control-Request-Method": method}
    for answer in await ot.both("OPTIONS", path, headers=preflight):
        assert answer.status == 403 and answer.detail
    assert await ot.ok("GET", "/api/downloads") == []


async def test_the_servers_own_pages_and_extensions_may_change(ot: OfflineTube) -> None:
    own = {"Origin": f"http://127.0.0.1:{ot.port}", "Sec-Fetch-Site": "same-origin"}
    answer = await ot.request("POST", "/api/info", headers=own, json={"url": "nope"})
    assert answer.status == 400  # past the doors: the handler refused the URL
    extension = {"Origin": "chrome-extension://abcdef", "Sec-Fetch-Site": "cross-site"}
    answer = await ot.request("POST", "/api/info", headers=extension, json={"url": "nope"})
    assert answer.status == 400


async def test_a_rebound_host_name_is_refused(ot: OfflineTube) -> None:
    for answer in await ot.both("GET", "/api/downloads", headers={"Host": "evil.example"}):
        assert answer.status == 403 and "is not allowed here" in answer.detail


async def test_with_auth_on_the_native_credentials_are_asked(make_ot: MakeOfflineTube) -> None:
    ot = await make_ot(auth_username="admin", auth_password="pw")
    for answer in await ot.both("GET", "/api/downloads"):
        assert (answer.status, answer.detail) == (401, "Authorization Required.")
        assert answer.headers["WWW-Authenticate"].startswith("Basic ")
    wrong = basic("admin", "nope")
    for answer in await ot.both("GET", "/api/downloads", headers=wrong):
        assert answer.status == 401 and answer.detail
    for answer in await ot.both("GET", "/api/downloads", headers=BASIC):
        assert answer.status == 200 and answer.json() == []
    # A script with credentials reaches the handlers of changes too.
    answer = await ot.request("POST", "/api/info", json={"url": "nope"}, headers=BASIC)
    assert answer.status == 400 and "url" in answer.detail


async def test_root_and_the_layers_document_name_every_route(ot: OfflineTube) -> None:
    for answer in await ot.both("GET", "/"):
        assert answer.json() == {"message": "OfflineTube API (Tubestash)", "version": "5.0.0"}
    on_port, on_prefix = (answer.json() for answer in await ot.both("GET", "/openapi.json"))
    assert (on_port["servers"], on_prefix["servers"]) == ([{"url": "/"}], [{"url": "/ot"}])
    document = on_prefix
    assert {**on_port, "servers": []} == {**document, "servers": []}
    app = web.Application()
    OFFLINETUBE.routes(app)
    registered = set()
    for route in app.router.routes():
        info = route.resource.get_info() if route.resource else {}
        path = (info.get("formatter") or info.get("path") or "").rstrip("/") or "/"
        registered.add((route.method.lower(), path))
    documented = {(m, p) for p, ops in document["paths"].items() for m in ops}
    assert registered - {("head", p) for _, p in registered} == documented
    assert document_of(app)["info"]["title"] == "OfflineTube API (Tubestash)"


async def test_under_a_base_path_the_prefix_is_inside_it(make_ot: MakeOfflineTube) -> None:
    ot = await make_ot(base_path="/tube")
    answer = await ot.client.get("/tube/ot/api/downloads")
    assert (answer.status, await answer.json()) == (200, [])
    document = await (await ot.client.get("/tube/ot/openapi.json")).json()
    assert document["servers"] == [{"url": "/tube/ot"}]
    assert await ot.ok("GET", "/api/downloads") == []  # its own port: still at the root


async def test_the_session_a_login_earned_opens_the_layer_to_own_pages(
    make_ot: MakeOfflineTube,
) -> None:
    ot = await make_ot(auth_username="admin", auth_password="pw")
    login = await ot.client.get("/api/ping", headers=BASIC)
    assert login.status == 200 and "tubestash_session" in login.cookies
    own = {"Sec-Fetch-Site": "same-origin"}
    answer = await ot.request("GET", "/api/downloads", "prefix", headers=own)
    assert (answer.status, answer.json()) == (200, [])
    # The cookie never opens it to another site's page.
    answer = await ot.request("GET", "/api/downloads", "prefix", headers=FOREIGN_PAGE)
    assert answer.status == 401 and answer.detail == "Authorization Required."
