"""Conditions are evaluated on each added item's metadata before it is queued."""

from __future__ import annotations

from pathlib import Path

from app.core.wire import EventName
from app.settings import Settings
from tests.conftest import EventLog
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, add_one, add_settled, call, finished


async def make_condition(client: Client, **fields: object) -> None:
    await call(client, "POST", "/api/conditions", json={"enabled": True, **fields})


async def test_a_condition_switches_the_preset(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await make_condition(
        client, name="long ones as audio", filter="duration > 600", extras={"preset": "audio_m4a"}
    )
    long = await add_one(client, fixture_site.url("/watch/v-long"), auto_start=False)
    assert long["preset"] == "audio_m4a"
    assert long["conditions"] == ["long ones as audio"]
    status = await events.wait_for(
        lambda e: e.event == EventName.ITEM_STATUS and e.data.get("_id") == long["_id"]
    )
    assert status.data["conditions"] == ["long ones as audio"]
    short = await add_one(client, fixture_site.url("/watch/v-basic"), auto_start=False)
    assert short["preset"] == "default"
    assert short["conditions"] == []


async def test_a_condition_skips_and_can_be_turned_off(
    client: Client, fixture_site: FixtureSite
) -> None:
    await make_condition(
        client,
        name="no members-only",
        filter="availability = 'needs_auth' || title ~= '(?i)members'",
        extras={"skip": True},
    )
    [refused] = await add_settled(client, {"url": fixture_site.url("/watch/v-auth")})
    assert refused["status"] is False
    assert refused["msg"] == "Skipped by condition 'no members-only'."
    kept = await add_one(
        client, fixture_site.url("/watch/v-auth"), conditions=False, auto_start=False
    )
    assert kept["conditions"] == []


async def test_conditions_apply_to_playlist_entries(
    client: Client, events: EventLog, fixture_site: FixtureSite
) -> None:
    await make_condition(
        client, name="not the second", filter="id = 'v-second'", extras={"skip": True}
    )
    playlist = await add_one(client, fixture_site.url("/playlist/pl-small"), auto_start=False)
    done = await finished(events, playlist["_id"])
    assert done["msg"] == "Queued 2 entries (1 skipped by conditions)."


async def test_an_archive_stops_a_second_download(
    client: Client, events: EventLog, fixture_site: FixtureSite, settings: Settings
) -> None:
    await call(
        client,
        "POST",
        "/api/presets",
        json={"name": "archived", "download_archive": "seen.txt"},
    )
    first = await add_one(client, fixture_site.url("/watch/v-third"), preset="archived")
    assert (await finished(events, first["_id"]))["status"] == "finished"
    archive = settings.resolved().config_path / "archives" / "seen.txt"
    assert archive.read_text().split() == ["tubestashfixture", "v-third"]
    [again] = await add_settled(
        client, {"url": fixture_site.url("/watch/v-third?again"), "preset": "archived"}
    )
    assert again["status"] is False
    assert again["msg"] == "Already in the download archive."
    moved = await events.wait_for(
        lambda e: e.event == EventName.ITEM_MOVED and e.data["item"]["_id"] == again["item"]["_id"]
    )
    assert moved.data["item"]["status"] == "skip"
    stored = await call(client, "GET", f"/api/history/{again['item']['_id']}")
    assert stored["status"] == "skip"
    files = [p for p in Path(settings.resolved().download_path).rglob("*") if p.is_file()]
    assert len(files) == 1
