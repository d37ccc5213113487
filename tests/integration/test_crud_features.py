"""Presets, conditions and download fields are served by the CRUD kit: the same handlers,
the same pagination and status codes over HTTP, tables whose columns are the models'."""

from __future__ import annotations

from typing import Any

import pytest

from app import keys
from app.conditions.store import ConditionStore
from app.core.crud import CrudRoutes, CrudStore
from app.dl_fields.store import DlFieldStore
from app.presets.store import PresetStore
from tests.integration.helpers import Client, call

# Per feature: its path, the number of built-in records, and three valid new records.
FEATURES: dict[str, tuple[str, int, list[dict[str, Any]]]] = {
    "presets": (
        "/api/presets",
        9,
        [{"name": f"p{n}", "cookies": "secret"} for n in range(3)],
    ),
    "conditions": (
        "/api/conditions",
        0,
        [{"name": f"c{n}", "filter": "duration > 5", "extras": {"cookies": "s"}} for n in range(3)],
    ),
    "dl_fields": (
        "/api/dl_fields",
        0,
        [
            {"name": "a", "field": "--proxy"},
            {"name": "b", "field": "--limit-rate"},
            {"name": "c", "field": "--write-subs", "kind": "bool"},
        ],
    ),
}


async def test_the_crud_routes_are_the_kits_handlers(client: Client) -> None:
    kit_routes = {
        (route.method, route.resource.canonical)
        for route in client.app.router.routes()
        if route.resource is not None
        and isinstance(getattr(route.handler, "__self__", None), CrudRoutes)
    }
    for path, _, _ in FEATURES.values():
        base = path.rstrip("/")
        # The presets list is the kit's, behind the extension's ?filter=name.
        for method in ("POST", "GET") if base != "/api/presets" else ("POST",):
            assert (method, base) in kit_routes or (method, base + "/") in kit_routes
        for method in ("GET", "PATCH", "PUT", "DELETE"):
            assert (method, base + "/{id}") in kit_routes


@pytest.mark.parametrize("feature", FEATURES)
async def test_same_pagination_and_status_codes(client: Client, feature: str) -> None:
    path, builtins, bodies = FEATURES[feature]
    created = [await call(client, "POST", path, json=body) for body in bodies]
    total = builtins + len(bodies)
    page = await call(client, "GET", f"{path}?page=2&per_page=2")
    assert page["pagination"] == {
        "page": 2,
        "per_page": 2,
        "total": total,
        "total_pages": -(-total // 2),
        "has_next": total > 4,
        "has_prev": True,
    }
    everything = await call(client, "GET", f"{path}/?per_page=100")
    assert "secret" not in str(everything) and '"s"' not in str(everything)

    first = created[0]["id"]
    assert (await call(client, "GET", f"{path}/{first}")) == created[0]
    await call(client, "GET", f"{path}/abc", status=400)
    await call(client, "GET", f"{path}/99999", status=404)
    await call(client, "PATCH", f"{path}/99999", json={}, status=404)
    await call(client, "PUT", f"{path}/99999", json=bodies[0], status=404)
    await call(client, "DELETE", f"{path}/99999", status=404)
    await call(client, "GET", f"{path}?page=0", status=400)
    await call(client, "GET", f"{path}?per_page=x", status=400)
    await call(client, "POST", path, json=[bodies[0]], status=400)
    await call(client, "POST", path, json={}, status=400)
    await call(client, "POST", path, json=bodies[0], status=409)
    await call(client, "PATCH", f"{path}/{first}", json=bodies[1], status=409)

    deleted = await call(client, "DELETE", f"{path}/{first}")
    listed = next(i for i in everything["items"] if i["id"] == first)
    assert deleted == listed  # DELETE answers the list's form (no secrets)
    await call(client, "GET", f"{path}/{first}", status=404)


async def test_tables_have_exactly_the_models_columns(client: Client) -> None:
    db = client.app[keys.DB]
    stores: list[CrudStore[Any, Any]] = [PresetStore(db), ConditionStore(db), DlFieldStore(db)]
    for store in stores:
        rows = await db.fetch_all(f"SELECT name FROM pragma_table_info('{store.table}')")
        assert {row[0] for row in rows} == {"id", *store.columns}, store.table


async def test_a_preset_a_condition_uses_is_neither_deleted_nor_renamed(client: Client) -> None:
    preset = await call(client, "POST", "/api/presets", json={"name": "Members"})
    condition = await call(
        client,
        "POST",
        "/api/conditions",
        json={"name": "members", "filter": "is_live", "extras": {"preset": "members"}},
    )
    pid = preset["id"]
    refused = await call(client, "DELETE", f"/api/presets/{pid}", status=409)
    assert refused["error"] == (
        "Preset 'Members' is used by condition 'members' and cannot be deleted."
    )
    renamed = await call(client, "PATCH", f"/api/presets/{pid}", json={"name": "x"}, status=409)
    assert "condition 'members'" in renamed["error"]
    # Other changes, and a change of case only, are fine.
    await call(client, "PATCH", f"/api/presets/{pid}", json={"name": "MEMBERS", "cli": "-x"})
    assert (await call(client, "GET", f"/api/presets/{pid}"))["cli"] == "-x"

    await call(client, "DELETE", f"/api/conditions/{condition['id']}")
    await call(client, "DELETE", f"/api/presets/{pid}")
