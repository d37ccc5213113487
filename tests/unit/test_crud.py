"""The CRUD kit over a real SQLite file and real HTTP, with a tiny record type of its own."""

from __future__ import annotations

import ast
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Literal

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from pydantic import BaseModel, ConfigDict, Field
from pytest_aiohttp import AiohttpClient

from app.core.crud import CrudModel, CrudRoutes, CrudService, CrudStore
from app.core.db import Database
from app.core.errors import Conflict, InvalidInput, NotFound
from app.core.events import ConfigChanged, DomainEvent, EventBus
from app.core.web import add_routes, error_middleware

TABLE = """
CREATE TABLE notes (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    title   TEXT NOT NULL UNIQUE,
    body    TEXT NOT NULL DEFAULT '',
    tone    TEXT NOT NULL DEFAULT 'plain',
    pinned  INTEGER NOT NULL DEFAULT 0,
    rank    INTEGER,
    secret  TEXT NOT NULL DEFAULT '',
    extras  TEXT NOT NULL DEFAULT '{}',
    tags    TEXT NOT NULL DEFAULT '[]'
)
"""


class NoteFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    title: str = Field(min_length=1)
    body: str = ""
    tone: Literal["plain", "loud"] = "plain"
    pinned: bool = False
    rank: int | None = None
    secret: str = ""
    extras: dict[str, Any] = Field(default_factory=dict)
    tags: list[str] = Field(default_factory=list)


class NoteSummary(BaseModel):
    id: int
    title: str
    has_secret: bool


class Note(NoteFields, CrudModel):
    def summary(self) -> NoteSummary:
        return NoteSummary(id=self.id, title=self.title, has_secret=bool(self.secret))


class NoteService(CrudService[NoteFields, Note]):
    feature = "notes"
    noun = "Note"

    def ordered(self, records: list[Note]) -> list[Note]:
        return sorted(records, key=lambda n: (not n.pinned, n.id))

    def check(self, fields: NoteFields, record_id: int | None) -> NoteFields:
        if "forbidden" in fields.body:
            raise InvalidInput("body: forbidden")
        return fields

    def before_delete(self, record: Note) -> None:
        if "keep" in record.tags:
            raise Conflict(f"Note '{record.title}' is kept.")


NOTES = web.AppKey("notes", NoteService)
Client = TestClient[web.Request, web.Application]


async def call(client: Client, method: str, path: str, status: int = 200, **kw: Any) -> Any:
    response = await client.request(method, path, **kw)
    assert response.status == status, await response.text()
    return await response.json()


def make_store(db: Database) -> CrudStore[NoteFields, Note]:
    return CrudStore(
        db,
        "notes",
        NoteFields,
        Note,
        conflict=lambda f: f"A note titled '{f.title}' already exists.",
        order_by=("rank", "id"),
    )


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    database = await Database.open(tmp_path / "kit.db")
    await database.execute(TABLE)
    yield database
    await database.close()


@pytest.fixture
def events() -> tuple[EventBus, list[DomainEvent]]:
    bus = EventBus()
    seen: list[DomainEvent] = []
    bus.subscribe(seen.append)
    return bus, seen


async def test_store_round_trip_keeps_every_type(db: Database) -> None:
    store = make_store(db)
    fields = NoteFields(
        title="a", tone="loud", pinned=True, rank=2, extras={"k": [1, {"x": None}]}, tags=["t"]
    )
    created = await store.create(fields)
    second = await store.create(NoteFields(title="b", rank=1))
    assert created.id > 0 and created.model_dump(exclude={"id"}) == fields.model_dump()
    loaded = await store.all()
    assert [n.title for n in loaded] == ["b", "a"]  # order_by rank
    assert loaded[1] == created
    changed = await store.update(second.id, NoteFields(title="b2", tags=["x", "y"]))
    assert changed is not None and changed.tags == ["x", "y"]
    assert await store.update(999, NoteFields(title="z")) is None
    assert await store.delete(created.id) is True
    assert await store.delete(created.id) is False
    assert [n.title for n in await store.all()] == ["b2"]


async def test_store_unique_column_is_a_conflict(db: Database) -> None:
    store = make_store(db)
    await store.create(NoteFields(title="same"))
    other = await store.create(NoteFields(title="other"))
    with pytest.raises(Conflict, match="titled 'same'"):
        await store.create(NoteFields(title="same"))
    with pytest.raises(Conflict):
        await store.update(other.id, NoteFields(title="same"))
    assert [n.title for n in await store.all()] == ["same", "other"]


async def test_rows_that_do_not_load_are_set_aside(db: Database, tmp_path: Path) -> None:
    with sqlite3.connect(tmp_path / "kit.db") as conn:
        conn.execute("INSERT INTO notes (title, extras) VALUES ('good', '{}')")
        conn.execute("INSERT INTO notes (title, extras) VALUES ('bad json', '{')")
        conn.execute("INSERT INTO notes (title, tone) VALUES ('bad tone', 'whisper')")
        conn.execute("INSERT INTO notes (title, tags) VALUES ('refused', '[\"no\"]')")

    def refuse(note: Note) -> None:
        if note.tags == ["no"]:
            raise ValueError("refused today")

    loaded = await make_store(db).all(check=refuse)
    assert [n.title for n in loaded] == ["good"]
    rows = await db.fetch_all("SELECT source, row_id FROM quarantine ORDER BY id")
    assert [tuple(r) for r in rows] == [("notes", "2"), ("notes", "3"), ("notes", "4")]
    assert [n.title for n in await make_store(db).all()] == ["good"]  # moved, not copied


async def test_check_that_raises_an_app_error_sets_aside(db: Database, events: Any) -> None:
    bus, _ = events
    store = make_store(db)
    await store.create(NoteFields(title="ok"))
    await db.execute("INSERT INTO notes (title, body) VALUES ('old', 'forbidden')")
    service = NoteService(store, bus)
    await service.open()
    assert [n.title for n in service.all()] == ["ok"]
    assert await db.fetch_value("SELECT count(*) FROM quarantine") == 1


async def test_names_in_sql_come_only_from_the_model(db: Database) -> None:
    class Bad(BaseModel):
        Title: str = ""

    class BadRecord(Bad, CrudModel):
        pass

    with pytest.raises(ValueError, match="plain"):
        CrudStore(db, "notes", Bad, BadRecord, conflict=str)
    with pytest.raises(ValueError, match="plain"):
        CrudStore(db, 'notes" --', NoteFields, Note, conflict=str)
    with pytest.raises(ValueError, match="not fields"):
        CrudStore(db, "notes", NoteFields, Note, conflict=str, order_by=("id; DROP",))
    store = make_store(db)
    assert store.columns == tuple(NoteFields.model_fields)
    hostile = '"); DROP TABLE notes; --'
    created = await store.create(NoteFields(title=hostile, body=hostile))
    assert (await store.all())[0] == created


async def test_service_hooks_cache_and_events(db: Database, events: Any) -> None:
    bus, seen = events
    service = NoteService(make_store(db), bus)
    await service.open()
    first = await service.create({"title": "first", "secret": "s", "unknown": 1})
    pinned = await service.create({"title": "pinned", "pinned": True, "tags": ["keep"]})
    assert [n.id for n in service.all()] == [pinned.id, first.id]  # the service's order
    patched = await service.patch(first.id, {"body": "new"})
    assert patched.secret == "s" and patched.body == "new"
    replaced = await service.replace(first.id, {"title": "again"})
    assert replaced.secret == "" and service.get(first.id).title == "again"
    with pytest.raises(InvalidInput):
        await service.patch(first.id, {"body": "forbidden"})
    with pytest.raises(NotFound, match="Note '999' not found"):
        await service.patch(999, {})
    with pytest.raises(Conflict, match="kept"):
        await service.delete(pinned.id)
    assert (await service.delete(first.id)).title == "again"
    changes = [e for e in seen if isinstance(e, ConfigChanged)]
    assert [(e.action, e.data["title"]) for e in changes] == [
        ("create", "first"),
        ("create", "pinned"),
        ("update", "first"),
        ("update", "again"),
        ("delete", "again"),
    ]
    assert changes[0].feature == "notes" and changes[0].data["has_secret"] is True
    assert "secret" not in changes[0].data


async def test_routes_over_http(db: Database, events: Any, aiohttp_client: AiohttpClient) -> None:
    bus, _ = events
    service = NoteService(make_store(db), bus)
    await service.open()
    app = web.Application(middlewares=[error_middleware])
    app[NOTES] = service
    crud = CrudRoutes(NOTES, what="note", per_page=2)
    add_routes(
        app.router,
        [
            ("GET", "/notes", crud.list),
            ("POST", "/notes", crud.create),
            ("GET", "/notes/{id}", crud.get),
            ("PATCH", "/notes/{id}", crud.patch),
            ("PUT", "/notes/{id}", crud.replace),
            ("DELETE", "/notes/{id}", crud.delete),
        ],
    )
    client = await aiohttp_client(app)
    for n in range(3):
        await call(client, "POST", "/notes", json={"title": f"n{n}", "secret": "s"})
    page = await call(client, "GET", "/notes/")
    assert page["pagination"] == {
        "page": 1,
        "per_page": 2,
        "total": 3,
        "total_pages": 2,
        "has_next": True,
        "has_prev": False,
    }
    assert page["items"][0] == {"id": 1, "title": "n0", "has_secret": True}
    second = await call(client, "GET", "/notes?page=2&per_page=2")
    assert [n["title"] for n in second["items"]] == ["n2"]
    assert (await call(client, "GET", "/notes/1"))["secret"] == "s"
    assert (await call(client, "PATCH", "/notes/1", json={"body": "b"}))["body"] == "b"
    assert (await call(client, "PUT", "/notes/1/", json={"title": "x"}))["secret"] == ""
    assert await call(client, "DELETE", "/notes/2") == {"id": 2, "title": "n1", "has_secret": True}
    await call(client, "GET", "/notes/abc", status=400)
    await call(client, "GET", "/notes?page=0", status=400)
    await call(client, "GET", "/notes/2", status=404)
    await call(client, "POST", "/notes", json=["x"], status=400)
    await call(client, "POST", "/notes", json={"title": "x"}, status=409)
    await call(client, "PATCH", "/notes/1", json={"tone": "quiet"}, status=400)


def test_the_kit_imports_nothing_outside_core() -> None:
    kit = Path(__file__).parents[2] / "app" / "core" / "crud"
    for source in kit.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("app"):
                assert node.module.startswith("app.core."), f"{source.name}: {node.module}"
            if isinstance(node, ast.Import):
                assert not any(a.name.startswith("app") for a in node.names), source.name
