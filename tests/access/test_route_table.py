"""Every route declares its permission, and a downloader key is refused every admin one.

The walk reads the real routers: a route added without a line in ``access/rules.py`` (the
native API) or in a layer's table fails here, and at run time needs ``admin``.
"""

from __future__ import annotations

import re
from pathlib import Path

from aiohttp import web
from aiohttp.web_urldispatcher import PrefixedSubAppResource

from app.access.permissions import Permission
from app.access.rules import NATIVE, route_key
from app.compat.offlinetube.setup import PERMISSIONS as OFFLINETUBE
from app.compat.tubearchivist.permissions import PERMISSIONS as TUBEARCHIVIST
from app.compat.ytdlp_host.routes import PERMISSIONS as YTDLP_HOST
from app.server import create_app
from app.settings import Settings
from tests.access.conftest import make_key
from tests.conftest import Client

Route = tuple[str, str]


def app_of(tmp_path: Path) -> web.Application:
    return create_app(Settings(config_path=tmp_path, download_path=tmp_path, temp_path=tmp_path))


def routes_of(router: web.UrlDispatcher) -> set[Route]:
    found = set()
    for resource in router.resources():
        if isinstance(resource, PrefixedSubAppResource):
            continue  # a layer: walked with its own table
        for route in resource:
            if route.method not in ("HEAD", "OPTIONS", "*"):
                found.add(route_key(route.method, resource.canonical))
    return found


def layers_of(app: web.Application) -> list[web.Application]:
    return [r._app for r in app.router.resources() if isinstance(r, PrefixedSubAppResource)]


def test_every_native_route_declares_its_permission(tmp_path: Path) -> None:
    routes = routes_of(app_of(tmp_path).router)
    missing = sorted(routes - set(NATIVE))
    assert not missing, f"routes without a permission in app/access/rules.py: {missing}"
    built_ui_only = {("GET", "/assets")}
    assert not sorted(set(NATIVE) - routes - built_ui_only), "rules.py names unknown routes"


def test_every_ytdlp_host_route_declares_its_permission(tmp_path: Path) -> None:
    [layer] = [app for app in layers_of(app_of(tmp_path)) if "/get_video" in _paths(app)]
    routes = routes_of(layer.router)
    assert routes == set(YTDLP_HOST)


def test_every_offlinetube_route_declares_its_permission(tmp_path: Path) -> None:
    [layer] = [app for app in layers_of(app_of(tmp_path)) if "/ot/api/search" in _paths(app)]
    routes = {route_key(m, path.removeprefix("/ot")) for m, path in routes_of(layer.router)}
    assert routes == set(OFFLINETUBE)


def test_every_tubearchivist_route_declares_its_permission(tmp_path: Path) -> None:
    [layer] = [app for app in layers_of(app_of(tmp_path)) if "/ta/api/ping/" in _paths(app)]
    routes = {route_key(m, path.removeprefix("/ta")) for m, path in routes_of(layer.router)}
    assert routes == set(TUBEARCHIVIST)


async def test_offlinetube_applies_a_keys_role(keyed: Client, downloader: str) -> None:
    """Under /ot (and so on its port, the same app): reads and adds, never a file deletion."""
    key = {"X-API-Key": downloader}
    answer = await keyed.get("/ot/api/downloads", headers=key)
    assert answer.status == 200, await answer.text()
    for method, path in sorted(r for r, needs in OFFLINETUBE.items() if needs is Permission.ADMIN):
        answer = await keyed.request(method, "/ot" + _filled(path), headers=key)
        assert answer.status == 403, (method, path)
        assert "permission" in (await answer.json())["detail"]
    for wrong in ("nope", downloader + "x", ""):
        answer = await keyed.get("/ot/api/downloads", headers={"X-API-Key": wrong})
        assert answer.status == 401, wrong
        assert "detail" in await answer.json()
    reader = await make_key(keyed, "reader", "custom", permissions=["read"])
    answer = await keyed.post("/ot/api/download", json={}, headers={"X-API-Key": reader})
    assert answer.status == 403


def _paths(app: web.Application) -> set[str]:
    return {resource.canonical for resource in app.router.resources()}


def _filled(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


ADMIN_ROUTES = sorted(route for route, needs in NATIVE.items() if needs is Permission.ADMIN)
OPEN_TO_DOWNLOADERS = sorted(
    route
    for route, needs in NATIVE.items()
    if needs is not Permission.ADMIN and route[0] == "GET" and route[1] not in ("/ws",)
)


async def test_a_downloader_key_is_refused_every_admin_route(
    keyed: Client, downloader: str
) -> None:
    """One app for the whole walk: an app per route would start a worker pool each."""
    allowed = []
    for method, path in ADMIN_ROUTES:
        headers = {"X-API-Key": downloader}
        answer = await keyed.request(method, _filled(path), json={}, headers=headers)
        body = await answer.json()
        if answer.status != 403 or "permission" not in body["error"]:
            allowed.append((method, path, answer.status))
    assert not allowed, f"admin routes a downloader reached: {allowed}"
    # The Basic-auth user's place without auth configured: no key, the operator.
    answer = await keyed.get("/api/keys")
    assert answer.status == 200


async def test_a_downloader_key_reads_what_it_may(keyed: Client, downloader: str) -> None:
    for method, path in OPEN_TO_DOWNLOADERS:
        answer = await keyed.request(method, _filled(path), headers={"X-API-Key": downloader})
        text = await answer.text()  # 403 for another reason (a static folder's index) is fine
        assert answer.status != 403 or "permission" not in text, (method, path, text)


async def test_a_key_without_a_ytdlp_host_permission_is_refused(keyed: Client) -> None:
    reader = await make_key(keyed, "reader", "custom", permissions=["read"])
    for method, path in sorted(r for r, needs in YTDLP_HOST.items() if needs is not None):
        headers = {"X-API-Key": reader}
        answer = await keyed.request(method, _filled(path), json={}, headers=headers)
        assert answer.status == 403, (method, path, await answer.text())
        assert (await answer.json())["error"] == "Insufficient permissions"
