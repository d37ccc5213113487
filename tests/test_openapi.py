"""The OpenAPI document: every route is in it, it is served, and the UI's copy is current."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from aiohttp import web
from pydantic import BaseModel

from app.core.openapi import ApiRoute, Raw, build_document, document_of
from app.server import create_app
from app.settings import Settings
from tests.conftest import Client

ROOT = Path(__file__).resolve().parents[1]
UI_DOCUMENT = ROOT / "ui" / "src" / "api" / "openapi.json"
REGENERATE = "run `bash scripts/gen-api-types.sh` and commit ui/src/api/"

# Routes that are not HTTP API operations: the UI's files, and Socket.IO's own protocol.
NOT_API = {"/", "/{name}", "/socket.io"}


def native_app(tmp_path: Path) -> web.Application:
    return create_app(Settings(config_path=tmp_path, download_path=tmp_path, temp_path=tmp_path))


def registered(app: web.Application) -> set[tuple[str, str]]:
    """(method, path) of every route in the real router, as the document spells paths."""
    found = set()
    own = set(app.router.resources())  # a layer's routes are in its own document
    for route in app.router.routes():
        if route.resource not in own:
            continue
        info = route.resource.get_info() if route.resource else {}
        path = info.get("formatter") or info.get("path")
        if path is None or route.method == "HEAD":
            continue  # static files (the UI's assets)
        path = path.rstrip("/") or "/"
        if path not in NOT_API:
            found.add((route.method.lower(), path))
    return found


def documented(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method, path) for path, ops in document["paths"].items() for method in ops}


def test_every_route_is_in_the_document(tmp_path: Path) -> None:
    app = native_app(tmp_path)
    routes, document = registered(app), document_of(app)
    assert not routes - documented(document), "routes missing from the OpenAPI document"
    assert not documented(document) - routes, "the document names routes that do not exist"


def test_the_document_is_openapi_3_1_with_every_reference_resolved(tmp_path: Path) -> None:
    document = document_of(native_app(tmp_path))
    assert document["openapi"] == "3.1.0"
    text = json.dumps(document)
    schemas = document["components"]["schemas"]
    for name in {part.split('"')[0] for part in text.split("#/components/schemas/")[1:]}:
        assert name in schemas, f"unresolved reference {name}"
    operation = document["paths"]["/api/download/{filename}"]["get"]
    assert operation["parameters"][0] == {
        "name": "filename",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
    }


async def test_the_document_is_served(client: Client) -> None:
    answer = await client.get("/api/openapi.json")
    assert answer.status == 200
    served = await answer.json()
    assert served["servers"] == [{"url": "/"}]
    assert {**document_of(client.app), "servers": served["servers"]} == served


async def test_under_a_base_path_the_server_url_has_it(tmp_path: Path, make_client: Any) -> None:
    settings = Settings(
        config_path=tmp_path, download_path=tmp_path, temp_path=tmp_path, base_path="/tube"
    )
    client = await make_client(settings)
    served = await (await client.get("/tube/api/openapi.json")).json()
    assert served["servers"] == [{"url": "/tube"}]


def test_the_ui_copy_of_the_document_is_current(tmp_path: Path) -> None:
    current = document_of(native_app(tmp_path))
    assert UI_DOCUMENT.is_file(), f"{UI_DOCUMENT} is missing: {REGENERATE}"
    assert json.loads(UI_DOCUMENT.read_text()) == current, f"the UI's types are stale: {REGENERATE}"


class Thing(BaseModel):
    name: str


class ThingQuery(BaseModel):
    page: int = 1


def test_a_layer_gets_its_own_document_from_its_declarations() -> None:
    routes = [
        ApiRoute("GET", "/things/{id:\\d+}/", "One thing", {200: Thing}, query=ThingQuery),
        ApiRoute("POST", "/things", "Add", {201: Thing, 304: None}, body=list[Thing], errors=None),
        ApiRoute("GET", "/files/{name:.*}", "A file", {200: Raw("*/*")}),
    ]
    document = build_document(routes, title="Layer", version="1")
    assert sorted(document["paths"]) == ["/files/{name}", "/things", "/things/{id}"]
    get = document["paths"]["/things/{id}"]["get"]
    assert [p["name"] for p in get["parameters"]] == ["id", "page"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Thing"
    }
    post = document["paths"]["/things"]["post"]
    assert set(post["responses"]) == {"201", "304"}  # no error body declared
    assert "content" not in post["responses"]["304"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["type"] == "array"
