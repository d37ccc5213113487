"""History items follow their file when the browser renames or moves it (or its folder),
and are marked when it is deleted; each change is published as ``item_updated``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.core.wire import Event, EventName
from tests.conftest import Client, EventLog
from tests.files.helpers import act
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import add_one, call, finished


def updated(uid: str, **fields: Any) -> Any:
    def check(event: Event) -> bool:
        return (
            event.event == EventName.ITEM_UPDATED
            and event.item_id == uid
            and all(event.data.get(k) == v for k, v in fields.items())
        )

    return check


async def _downloaded(client: Client, events: EventLog, site: FixtureSite) -> dict[str, Any]:
    item = await add_one(client, site.url("/watch/v-basic"))
    done = await finished(events, item["_id"])
    assert done["status"] == "finished" and done["filename"], done
    return done


async def test_item_follows_rename_then_move_then_its_folder(
    client: Client, events: EventLog, fixture_site: FixtureSite, root: Path
) -> None:
    done = await _downloaded(client, events, fixture_site)
    uid, name = done["_id"], done["filename"]
    assert "/" not in name
    [renamed] = await act(client, {"action": "rename", "path": f"/{name}", "new_name": "new.mp4"})
    assert renamed["ok"], renamed
    await events.wait_for(updated(uid, filename="new.mp4"))
    assert (await call(client, "GET", f"/api/history/{uid}"))["filename"] == "new.mp4"

    await act(client, {"action": "directory", "path": "/", "new_dir": "shows/season"})
    [moved] = await act(client, {"action": "move", "path": "new.mp4", "new_path": "shows"})
    assert moved["ok"], moved
    await events.wait_for(updated(uid, filename="shows/new.mp4"))

    [folder] = await act(client, {"action": "rename", "path": "shows", "new_name": "series"})
    assert folder["ok"], folder
    await events.wait_for(updated(uid, filename="series/new.mp4"))
    item = await call(client, "GET", f"/api/history/{uid}")
    assert item["filename"] == "series/new.mp4"
    file = await client.get("/api/download/series/new.mp4")
    assert file.status == 200 and await file.read() == (root / "series/new.mp4").read_bytes()


async def test_item_is_marked_when_its_file_is_deleted(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    done = await _downloaded(client, events, fixture_site)
    uid, name = done["_id"], done["filename"]
    [deleted] = await act(client, {"action": "delete", "path": name})
    assert deleted["ok"], deleted
    await events.wait_for(updated(uid, filename=None))
    item = await call(client, "GET", f"/api/history/{uid}")
    assert item["filename"] is None and item["file_size"] is None
    assert item["msg"] == f"File deleted: {name}"
    assert item["status"] == "finished"


async def test_other_items_are_left_alone(
    client: Client, events: EventLog, fixture_site: FixtureSite, root: Path
) -> None:
    done = await _downloaded(client, events, fixture_site)
    seen = len(events.events)
    (root / "unrelated.mp4").write_bytes(b"x")
    await act(client, {"action": "rename", "path": "unrelated.mp4", "new_name": "other.mp4"})
    await act(client, {"action": "delete", "path": "other.mp4"})
    item = await call(client, "GET", f"/api/history/{done['_id']}")
    assert item["filename"] == done["filename"]
    later = [e.data.get("filename") for e in events.events[seen:] if e.item_id == done["_id"]]
    assert set(later) <= {done["filename"]}
