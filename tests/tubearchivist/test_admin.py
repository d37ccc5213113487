"""Snapshots, the cookie, SponsorBlock, and media paths that try to leave."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from pytest_aiohttp import AiohttpServer

from app import keys
from app.downloads.models import Item, Status
from app.settings import Settings
from tests.conftest import Client, EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient
from tests.tubearchivist.helpers import ta_download

COOKIE = "# Netscape HTTP Cookie File\n.youtube.com\tTRUE\t/\tTRUE\t0\tPREF\tf6=40000000\n"


def fake_video(video_id: str, filename: str) -> Item:
    return Item(
        url=f"https://example.com/{video_id}",
        id=video_id,
        extractor="Fixture",
        title=f"Video {video_id}",
        status=Status.FINISHED,
        filename=filename,
    )


async def test_snapshots_are_taken_listed_and_deleted(ta: TaClient, client: Client) -> None:
    assert (await ta.get("api/snapshot/"))["snapshots"] == []
    status, answer = await ta.call("POST", "api/snapshot/")
    assert status == 200 and answer["snapshot_name"].startswith("ta_daily_")
    name = answer["snapshot_name"]
    await client.app[keys.TUBEARCHIVIST].snapshots.settled()
    listing = await ta.get("api/snapshot/")
    assert [s["id"] for s in listing["snapshots"]] == [name]
    assert listing["expire_after"] == "30d"
    one = await ta.get(f"api/snapshot/{name}/")
    assert one["state"] == "SUCCESS" and one["es_version"] == "0.0.0"
    status, _ = await ta.call("DELETE", f"api/snapshot/{name}/")
    assert status == 200
    for bad in (name, "ta_daily_../../x", "..%2F..%2Fetc", "tubestash", "ta_daily_%00"):
        for method in ("GET", "POST", "DELETE"):
            status, answer = await ta.call(method, f"api/snapshot/{bad}/")
            assert status == 404 and list(answer) == ["detail"], (method, bad)


async def progress_rows(client: Client, user: int) -> int:
    count = "SELECT count(*) FROM library_progress WHERE user_id = ?"
    return int(await client.app[keys.DB].fetch_value(count, (user,)))


async def test_a_restored_snapshot_agrees_with_what_happened_since(
    ta: TaClient, client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    """The library, progress and ignore list come back; keys, history and tasks are not
    restored, and the library follows them: a revoked key's progress and a deleted
    item's video stay gone, downloads since are indexed again, subscriptions follow the
    tasks."""
    await ta_download(
        ta, client, events, fixture_site.url("/watch/v-basic"), fixture_site.url("/watch/v-second")
    )
    created = await client.post("/api/keys", json={"name": "phone", "role": "downloader"})
    made = await created.json()
    phone = TaClient(ta.base_url, made["key"])
    phone_user = made["item"]["id"] + 1
    try:
        await ta.call("POST", "api/video/v-basic/progress/", {"position": 1})
        await phone.call("POST", "api/video/v-basic/progress/", {"position": 2})
        pending = {
            "data": [{"youtube_id": fixture_site.url("/watch/v-unicode"), "status": "pending"}]
        }
        assert (await ta.call("POST", "api/download/", pending))[0] == 200
        assert (await ta.call("POST", "api/download/v-unicode/", {"status": "ignore"}))[0] == 200
        name = (await ta.call("POST", "api/snapshot/"))[1]["snapshot_name"]
        await client.app[keys.TUBEARCHIVIST].snapshots.settled()

        # Since the snapshot:
        await ta.call("POST", "api/video/v-basic/progress/", {"position": 3})
        assert (await client.delete(f"/api/keys/{made['item']['id']}")).status == 200
        stored = await (await client.get("/api/library/videos/v-second")).json()
        gone = {"type": "done", "ids": [stored["item_id"]], "remove_file": False}
        assert (await client.delete("/api/history", json=gone)).status == 200
        await client.app[keys.LIBRARY].settled()
        assert (await ta.call("GET", "api/video/v-second/"))[0] == 404
        await ta_download(ta, client, events, fixture_site.url("/watch/v-third"))
        subscribe = {"data": [{"channel_id": "ch-test", "channel_subscribed": True}]}
        assert (await ta.call("POST", "api/channel/", subscribe))[0] == 200
        cleared = await ta.call("DELETE", "api/download/", params={"filter": "ignore"})
        assert cleared == (200, {"deleted": 1, "filter": "ignore"})

        status, answer = await ta.call("POST", f"api/snapshot/{name}/")  # restore
        assert (status, answer) == (200, {"success": True, "restored": name})
        await client.app[keys.LIBRARY_INDEXER].finished.wait()
    finally:
        await phone.close()

    listing = await ta.get("api/video/")
    assert sorted(v["youtube_id"] for v in listing["data"]) == ["v-basic", "v-third"]
    assert listing["paginate"]["total_hits"] == 2
    assert (await ta.get("api/video/v-basic/progress/"))["position"] == 1  # as it was
    assert await progress_rows(client, phone_user) == 0  # its key is gone
    found = await ta.get("api/search/", params={"query": "fixture"})
    assert sorted(v["youtube_id"] for v in found["results"]["video_results"]) == [
        "v-basic",
        "v-third",
    ]
    channel = (await ta.get("api/channel/ch-test/"))["data"]
    assert channel["channel_subscribed"] is True  # its task exists
    ignored = await ta.get("api/download/", params={"filter": "ignore"})
    assert [d["youtube_id"] for d in ignored["data"]] == ["v-unicode"]

    # Leaving, then restoring again: the flag follows the task once more.
    subscribe["data"][0]["channel_subscribed"] = False
    assert (await ta.call("POST", "api/channel/", subscribe))[0] == 200
    assert (await ta.call("POST", f"api/snapshot/{name}/"))[0] == 200
    assert (await ta.get("api/channel/ch-test/"))["data"]["channel_subscribed"] is False


async def test_the_cookie_is_imported_validated_and_used(
    ta: TaClient, client: Client, settings: Settings
) -> None:
    for path in ("api/cookie/", "api/appsettings/cookie/"):
        state = await ta.get(path)
        assert state == {
            "cookie_enabled": False,
            "status": False,
            "validated": None,
            "validated_str": None,
        }
    assert (await ta.call("POST", "api/cookie/"))[1] == {"cookie_validated": False}
    status, answer = await ta.call("PUT", "api/appsettings/cookie/", {"cookie": "not a cookie"})
    assert (status, answer) == (400, {"cookie_import": "fail", "cookie_validated": False})
    status, answer = await ta.call("PUT", "api/appsettings/cookie/", {"cookie": COOKIE})
    assert (status, answer) == (200, {"cookie_import": "done", "cookie_validated": True})
    state = await ta.get("api/cookie/")
    assert state["cookie_enabled"] is True and state["status"] is True
    assert (await ta.call("POST", "api/cookie/"))[1] == {"cookie_validated": True}
    stored = settings.resolved().config_path / "tubearchivist.cookies.txt"
    assert stored.read_text() == COOKIE
    assert stored.stat().st_mode & 0o777 == 0o600
    assert client.app[keys.TUBEARCHIVIST].cookie.text == COOKIE


async def test_sponsorblock_segments_are_fetched_once_and_cached(
    tmp_path: Path, make_client: MakeClient, aiohttp_server: AiohttpServer
) -> None:
    asked: list[str] = []

    async def skip_segments(request: web.Request) -> web.Response:
        asked.append(request.query["videoID"])
        if request.query["videoID"] == "none":
            return web.json_response("Not Found", status=404)
        segment = {"UUID": "u1", "segment": [1.0, 2.0], "category": "sponsor", "locked": 1}
        return web.json_response([segment, {"junk": True}])

    sponsor = web.Application()
    sponsor.router.add_get("/api/skipSegments", skip_segments)
    server = await aiohttp_server(sponsor)
    port = free_port()
    settings = make_settings(
        tmp_path, tubearchivist_port=port, sponsorblock_url=str(server.make_url("/"))
    )
    client = await make_client(settings)
    await client.app[keys.LIBRARY].add([fake_video("vid", "vid.mp4"), fake_video("none", "n.mp4")])
    ta = TaClient(f"http://127.0.0.1:{port}")
    try:
        await ta.login("any", "one")
        first = await ta.get("api/video/vid/sponsor/")
        segments = first["data"]["segments"]
        assert [(s["UUID"], s["segment"], s["category"]) for s in segments] == [
            ("u1", [1.0, 2.0], "sponsor")
        ]
        assert await ta.get("api/video/vid/sponsor/") == first
        assert (await ta.get("api/video/none/sponsor/"))["data"]["segments"] == []
        assert asked == ["vid", "none"]

        vote = {"vote": {"uuid": "u1", "yourVote": 1}}
        assert (await ta.call("POST", "api/video/vid/sponsor/", vote))[0] == 200
        segment = {"segment": {"startTime": 5, "endTime": 10.5}}
        assert (await ta.call("POST", "api/video/vid/sponsor/", segment))[0] == 200
        bad_bodies: list[dict[str, Any]] = [
            {"vote": {"uuid": "u1", "yourVote": 2}},
            {"vote": {"yourVote": 1}},
            {"segment": {"startTime": 10, "endTime": 5}},
            {"segment": {"startTime": "a", "endTime": 5}},
            {},
        ]
        for bad in bad_bodies:
            status, answer = await ta.call("POST", "api/video/vid/sponsor/", bad)
            assert status == 400 and list(answer) == ["detail"], bad
    finally:
        await ta.close()


@pytest.mark.parametrize(
    "path",
    [
        "media/../config/tubestash.db",
        "media/%2e%2e/config/tubestash.db",
        "media/%2E%2E%2Fconfig%2Ftubestash.db",
        "media//etc/passwd",
        "media/%2Fetc%2Fpasswd",
        "media/outside-link/secret.txt",
        "media/link-file.txt",
        "media/missing.mp4",
    ],
)
async def test_media_paths_never_leave_the_download_folder(
    ta: TaClient, settings: Settings, path: str
) -> None:
    resolved = settings.resolved()
    outside = resolved.config_path.parent / "outside"
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("secret")
    root = resolved.download_path
    if not (root / "outside-link").exists():
        (root / "outside-link").symlink_to(outside)
        (root / "link-file.txt").symlink_to(outside / "secret.txt")
    status, body = await ta.call("GET", path)
    assert status in (400, 403, 404), (path, status)
    assert b"secret" not in (body if isinstance(body, bytes) else str(body).encode())
    assert b"SQLite" not in (body if isinstance(body, bytes) else b"")
