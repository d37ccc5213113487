"""Notification targets over HTTP: CRUD in the seed's shape, event names, the test button,
webhooks (json and form, POST and PUT, headers, data_key) and apprise, to local receivers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app import keys
from app.core.wire import EventName
from app.downloads.events import ItemCompleted
from app.downloads.models import Item, Status
from app.notifications.events import NotificationName
from tests.conftest import EventLog, MakeClient, make_settings
from tests.integration.helpers import Client, call
from tests.notifications.conftest import MakeReceiver


def target(url: str, **fields: Any) -> dict[str, Any]:
    request = {"type": "json", "method": "POST", "url": url, "data_key": "data", "headers": []}
    request |= fields.pop("request", {})
    return {"name": "Hook", "on": [], "presets": [], "enabled": True, "request": request} | fields


async def test_crud_in_the_seeds_shape(client: Client, events: EventLog) -> None:
    body = target(
        "https://example.com/webhook",
        on=["item_completed"],
        presets=["default"],
        request={"headers": [{"key": "Authorization", "value": "Bearer secret"}]},
    )
    created = await call(client, "POST", "/api/notifications/", json=body)
    tid = created["id"]
    assert created == {"id": tid, **body}
    await events.wait_for(
        lambda e: e.event == EventName.CONFIG_UPDATE and e.data["feature"] == "notifications"
    )
    listed = await call(client, "GET", "/api/notifications/?page=1&per_page=10")
    assert listed["items"] == [created]  # the seed lists targets whole
    assert listed["pagination"]["total"] == 1
    patched = await call(client, "PATCH", f"/api/notifications/{tid}", json={"enabled": False})
    assert patched["enabled"] is False and patched["request"] == body["request"]
    replaced = await call(
        client, "PUT", f"/api/notifications/{tid}", json=target("discord://id/token", name="D")
    )
    assert replaced["request"]["url"] == "discord://id/token" and replaced["on"] == []
    assert (await call(client, "GET", f"/api/notifications/{tid}"))["name"] == "D"
    await call(client, "DELETE", f"/api/notifications/{tid}")
    await call(client, "GET", f"/api/notifications/{tid}", status=404)


async def test_bad_targets_are_refused(client: Client) -> None:
    bad = [
        target("https://x.test/", on=["no_such_event"]),
        target("https://x.test/", request={"method": "GET"}),
        target("https://x.test/", request={"type": "xml"}),
        target("not a url"),
        target("https://x.test/", request={"headers": [{"key": "X", "value": "a\r\nB: c"}]}),
        {"name": "no request"},
    ]
    for body in bad:
        answer = await call(client, "POST", "/api/notifications", status=400, json=body)
        assert "error" in answer
    await call(client, "POST", "/api/notifications", json=target("https://x.test/"))
    await call(client, "POST", "/api/notifications", status=409, json=target("https://y.test/"))


async def test_method_and_type_in_any_case(client: Client) -> None:
    body = target("https://x.test/", request={"method": "put", "type": "FORM"})
    created = await call(client, "POST", "/api/notifications", json=body)
    assert created["request"]["method"] == "PUT" and created["request"]["type"] == "form"


async def test_event_names_in_the_seeds_order(client: Client) -> None:
    answer = await call(client, "GET", "/api/notifications/events/")
    assert answer["events"] == [name.value for name in NotificationName]
    assert {"item_added", "item_completed", "log_error", "test"} <= set(answer["events"])


async def test_webhooks_json_and_form_post_and_put(
    client: Client, make_receiver: MakeReceiver
) -> None:
    receiver, base = await make_receiver()
    hooks = [
        target(
            f"{base}/json",
            name="json",
            request={"headers": [{"key": "X-Token", "value": "t0ken"}], "data_key": "payload"},
        ),
        target(f"{base}/form", name="form", request={"type": "form", "method": "PUT"}),
    ]
    for hook in hooks:
        await call(client, "POST", "/api/notifications", json=hook)
    answer = await call(client, "POST", "/api/notifications/test")
    assert [(r["name"], r["delivered"], r["error"]) for r in answer["results"]] == [
        ("json", True, None),
        ("form", True, None),
    ]
    by_path = {got.path: got for got in await receiver.wait_for(2)}
    sent = by_path["/json"]
    assert sent.method == "POST" and sent.headers["X-Token"] == "t0ken"
    assert sent.json["event"] == "test" and sent.json["title"] == "Test Notification"
    assert sent.json["payload"] == {} and "data" not in sent.json
    form = by_path["/form"]
    assert form.method == "PUT" and form.content_type == "application/x-www-form-urlencoded"
    assert form.form["event"] == "test" and json.loads(form.form["data"]) == {}


async def test_a_finished_item_carries_the_item(
    client: Client, make_receiver: MakeReceiver
) -> None:
    receiver, base = await make_receiver()
    hook = target(f"{base}/done", on=["item_completed"], presets=["audio"])
    await call(client, "POST", "/api/notifications", json=hook)
    bus = client.app[keys.BUS]
    item = Item(
        url="https://example.com/v",
        title="A video",
        preset="audio",
        status=Status.FINISHED,
        filename="A video.m4a",
        file_size=1234,
    )
    bus.publish(ItemCompleted(item.model_copy(update={"preset": "default"})))  # other preset
    bus.publish(ItemCompleted(item))
    [got] = await receiver.wait_for(1)
    assert got.json["event"] == "item_completed"
    data = got.json["data"]
    assert data == item.public()
    assert (data["title"], data["url"], data["filename"], data["preset"]) == (
        "A video",
        "https://example.com/v",
        "A video.m4a",
        "audio",
    )
    assert (data["status"], data["file_size"]) == ("finished", 1234)
    await client.app[keys.NOTIFIER].settled()
    assert len(receiver.got) == 1


async def test_apprise_delivers_through_json_and_form(
    client: Client, make_receiver: MakeReceiver
) -> None:
    receiver, base = await make_receiver()
    host = base.removeprefix("http://")
    for scheme in ("json", "form"):
        hook = target(f"{scheme}://{host}/{scheme}", name=scheme)
        await call(client, "POST", "/api/notifications", json=hook)
    answer = await call(client, "POST", "/api/notifications/test")
    assert all(r["delivered"] for r in answer["results"]), answer
    by_path = {got.path: got for got in await receiver.wait_for(2)}
    assert by_path["/json"].json["title"] == "Test Notification"
    assert by_path["/json"].json["message"] == "This is a test notification."
    assert by_path["/form"].form["title"] == "Test Notification"


async def test_disabled_targets_are_not_tested(client: Client, make_receiver: MakeReceiver) -> None:
    receiver, base = await make_receiver()
    await call(client, "POST", "/api/notifications", json=target(base, enabled=False))
    answer = await call(client, "POST", "/api/notifications/test")
    assert answer == {"results": []}
    assert receiver.got == []


async def test_by_default_internal_addresses_are_refused(
    tmp_path: Path, make_client: MakeClient, make_receiver: MakeReceiver
) -> None:
    client = await make_client(make_settings(tmp_path, allow_internal_urls=False))
    receiver, base = await make_receiver()
    host = base.removeprefix("http://")
    port = host.rsplit(":", 1)[1]
    urls = [base, f"http://localhost:{port}/", f"json://{host}/", f"json://localhost:{port}/"]
    for n, url in enumerate(urls):
        await call(client, "POST", "/api/notifications", json=target(url, name=f"t{n}"))
    answer = await call(client, "POST", "/api/notifications/test")
    for result in answer["results"]:
        assert not result["delivered"], result
        assert result["attempts"] == 1 and "address refused" in result["error"]
        assert "internal" in result["error"] or "loopback" in result["error"]
    assert receiver.got == []
