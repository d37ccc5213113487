"""Watch progress per user: the Basic-auth user is user 1, each API key a user of its own,
the same on TubeArchivist's progress routes, ``/api/watched/`` and the native library's
progress (where the player saves). No key reads or changes another's; a revoked key's
progress goes with it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from app import keys
from app.downloads.models import Item, Status
from app.settings import Settings
from tests.access.conftest import ADMIN_KEY
from tests.conftest import Client, make_settings
from tests.server_process import free_port
from tests.tubearchivist.client import TaClient

USER, PASSWORD = "tubearchivist", "verysecret"
BASIC = {"Authorization": aiohttp.encode_basic_auth(USER, PASSWORD)}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(
        tmp_path,
        tubearchivist_port=free_port(),
        admin_key=ADMIN_KEY,
        auth_username=USER,
        auth_password=PASSWORD,
    )


def video(video_id: str) -> Item:
    return Item(
        url=f"https://example.com/{video_id}",
        id=video_id,
        extractor="Fixture",
        title=f"Video {video_id}",
        status=Status.FINISHED,
        filename=f"{video_id}.mp4",
    )


async def new_key(client: Client, name: str) -> tuple[int, str]:
    body = {"name": name, "role": "downloader"}
    answer = await client.post("/api/keys", json=body, headers={"X-API-Key": ADMIN_KEY})
    assert answer.status == 201, await answer.text()
    created = await answer.json()
    return created["item"]["id"], created["key"]


@pytest.fixture
async def people(
    client: Client, settings: Settings
) -> AsyncIterator[tuple[TaClient, TaClient, TaClient]]:
    """The Basic-auth user (logged in for its token) and two keys, on the layer's port."""
    base = f"http://127.0.0.1:{settings.tubearchivist_port}"
    admin, alice, bob = TaClient(base), TaClient(base), TaClient(base)
    await admin.login(USER, PASSWORD)
    _, alice.token = await new_key(client, "alice")
    _, bob.token = await new_key(client, "bob")
    await client.app[keys.LIBRARY].add([video("vid"), video("other")])
    yield admin, alice, bob
    for session in (admin, alice, bob):
        await session.close()


async def native(client: Client, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    answer = await client.request(method, path, **kwargs)
    return answer.status, await answer.json()


async def test_each_user_keeps_its_own_progress(
    client: Client, people: tuple[TaClient, TaClient, TaClient]
) -> None:
    admin, alice, bob = people
    users = [(await p.get("api/ping/"))["user"] for p in people]
    assert users[0] == 1 and len(set(users)) == 3
    for person, position in ((admin, 10), (alice, 20)):
        status, answer = await person.call(
            "POST", "api/video/vid/progress/", {"position": position}
        )
        assert status == 200 and answer["position"] == position
    assert (await admin.get("api/video/vid/progress/"))["position"] == 10
    mine = await alice.get("api/video/vid/progress/")
    assert (mine["position"], mine["user_id"]) == (20, users[1])
    theirs = await bob.get("api/video/vid/progress/")
    assert (theirs["position"], theirs["user_id"]) == (0, users[2])
    # Bob forgetting or marking changes only Bob's.
    assert (await bob.call("DELETE", "api/video/vid/progress/"))[0] == 200
    assert (await bob.call("POST", "api/watched/", {"id": "vid", "is_watched": True}))[0] == 200
    assert (await alice.get("api/video/vid/progress/"))["position"] == 20
    assert (await bob.get("api/video/vid/"))["data"]["player"]["watched"] is True
    for person in (admin, alice):
        assert (await person.get("api/video/vid/"))["data"]["player"]["watched"] is False
    # The video lists show each caller's own position.
    for person, position in ((admin, 10), (alice, 20), (bob, 0)):
        players = {v["youtube_id"]: v["player"] for v in (await person.get("api/video/"))["data"]}
        assert players["vid"]["position"] == position and players["other"]["position"] == 0


async def test_the_native_progress_is_the_same_user_as_the_token(
    client: Client, people: tuple[TaClient, TaClient, TaClient]
) -> None:
    admin, alice, _ = people
    path = "/api/library/videos/vid/progress"
    await alice.call("POST", "api/video/vid/progress/", {"position": 42})
    status, answer = await native(client, "GET", path, headers={"X-API-Key": alice.token})
    assert (status, answer["position"]) == (200, 42)
    status, answer = await native(client, "GET", path, headers=BASIC)
    assert (status, answer["position"], answer["user_id"]) == (200, 0, 1)
    # The player saves as the Basic-auth user: the admin's token sees it, Alice does not.
    body = {"position": 7.5}
    status, answer = await native(client, "POST", path, json=body, headers=BASIC)
    assert status == 200 and answer["user_id"] == 1
    assert (await admin.get("api/video/vid/progress/"))["position"] == 7.5
    assert (await alice.get("api/video/vid/progress/"))["position"] == 42
    status, _ = await native(client, "DELETE", path, headers={"X-API-Key": alice.token})
    assert status == 200
    assert (await alice.get("api/video/vid/progress/"))["position"] == 0
    assert (await admin.get("api/video/vid/progress/"))["position"] == 7.5


async def test_a_revoked_keys_progress_goes_with_it(
    client: Client, people: tuple[TaClient, TaClient, TaClient]
) -> None:
    _, alice, bob = people
    for person in (alice, bob):
        await person.call("POST", "api/video/vid/progress/", {"position": 3})
    alice_user = (await alice.get("api/ping/"))["user"]
    key_id = alice_user - 1
    db = client.app[keys.DB]
    count = "SELECT count(*) FROM library_progress WHERE user_id = ?"
    assert await db.fetch_value(count, (alice_user,)) == 1
    revoked = await client.delete(f"/api/keys/{key_id}", headers={"X-API-Key": ADMIN_KEY})
    assert revoked.status == 200
    assert await db.fetch_value(count, (alice_user,)) == 0
    assert (await bob.get("api/video/vid/progress/"))["position"] == 3
    # A new key is a new user: it inherits nothing.
    _, carol = await new_key(client, "carol")
    status, answer = await bob.call(
        "GET", "api/video/vid/progress/", headers={"Authorization": f"Token {carol}"}
    )
    assert (status, answer["position"]) == (200, 0) and answer["user_id"] != alice_user


@pytest.mark.parametrize(
    "video_id",
    ["nope", "..", "vid%2F..%2Fother", "%2e%2e", "vid/..", "other%00", "VID", "x" * 300],
)
async def test_progress_of_a_video_not_in_the_library_is_a_404(
    people: tuple[TaClient, TaClient, TaClient], video_id: str
) -> None:
    _, alice, _ = people
    for method, body in (("GET", None), ("POST", {"position": 1}), ("DELETE", None)):
        status, answer = await alice.call(method, f"api/video/{video_id}/progress/", body)
        # ("vid/.." is normalised by the client to another route: 405 there.)
        assert status in (404, 405), (method, video_id, answer)
    for known in ("vid", "other"):
        assert (await alice.get(f"api/video/{known}/progress/"))["position"] == 0


async def test_bad_positions_are_refused(people: tuple[TaClient, TaClient, TaClient]) -> None:
    _, alice, _ = people
    for bad in ({}, {"position": -1}, {"position": "10"}, {"position": True}, [1]):
        status, answer = await alice.call("POST", "api/video/vid/progress/", bad)
        assert status == 400 and list(answer) == ["detail"], bad
    assert (await alice.get("api/video/vid/progress/"))["position"] == 0
