"""The history API (``/api/history...``) and file downloads (``/api/download/...``)."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app import keys
from app.core.errors import AppError, InvalidInput, NotFound
from app.core.openapi import ApiRoute, Raw, declare
from app.core.pagination import parse_page
from app.core.paths import resolve_under
from app.core.web import add_routes, json_text, read_json
from app.downloads import schemas
from app.downloads.models import AddRequest, Item, UpdateRequest
from app.downloads.requests import (
    parse_add,
    parse_delete,
    parse_ids,
    parse_order,
    parse_position,
    parse_status,
    parse_type,
    parse_update,
)
from app.files.routes import redirect_if_misnamed

PER_PAGE_MAX = 1000


async def add_items(request: web.Request) -> web.Response:
    limit = request.app[keys.SETTINGS].max_urls_per_request
    requests = parse_add(await read_json(request), limit)
    # Answered once stored: identifying 50 URLs takes seconds, and the events tell the rest.
    results = await request.app[keys.DOWNLOADS].add(requests, wait=False)
    return web.json_response([result.public() for result in results])


async def quick_add(request: web.Request) -> web.Response:
    """The bookmarklet's GET: answers ``{"status", "message"}`` even for errors."""
    try:
        url = request.query.get("url")
        if not url:
            raise InvalidInput("url param is required.")
        data: dict[str, Any] = {"url": url}
        if request.query.get("preset"):
            data["preset"] = request.query["preset"]
        add = parse_add(data, limit=1)
        [result] = await request.app[keys.DOWNLOADS].add(add)
    except AppError as exc:
        return web.json_response({"status": False, "message": exc.message}, status=exc.status)
    if result.status is False:
        return web.json_response({"status": False, "message": result.msg})
    assert result.item is not None
    message = f"Item '{result.item.label}' has been added to the download queue."
    return web.json_response({"status": True, "message": message})


async def list_items(request: web.Request) -> web.StreamResponse:
    query = request.query
    kind = parse_type(query.get("type"))
    if kind == "all":
        return await _legacy_all(request)
    settings = request.app[keys.SETTINGS]
    page = parse_page(
        query.get("page"),
        query.get("per_page"),
        default=settings.default_pagination,
        maximum=PER_PAGE_MAX,
    )
    order = parse_order(query.get("order"))
    status = parse_status(query.get("status"))
    downloads = request.app[keys.DOWNLOADS]
    if kind == "done":
        return json_text(await downloads.history_page_json(page, order, status))
    total, chosen = downloads.queue_page(page, order, status)
    return web.json_response(
        {"pagination": page.envelope(total), "items": [i.public() for i in chosen]}
    )


async def _legacy_all(request: web.Request) -> web.StreamResponse:
    """``type=all``: the queue and every history item, streamed so memory stays flat."""
    response = web.StreamResponse(headers={"Content-Type": "application/json"})
    await response.prepare(request)
    downloads = request.app[keys.DOWNLOADS]
    queue = [item.public_json() for item in downloads.queued()]
    await response.write(f'{{"queue":[{",".join(queue)}],"history":['.encode())
    first = True
    async for chunk in downloads.history_json():
        await response.write((("" if first else ",") + ",".join(chunk)).encode())
        first = False
    await response.write(b"]}")
    await response.write_eof()
    return response


async def live(request: web.Request) -> web.Response:
    return web.json_response(request.app[keys.DOWNLOADS].live())


async def get_item(request: web.Request) -> web.Response:
    item = await request.app[keys.DOWNLOADS].get(request.match_info["id"])
    return web.json_response(item.public())


async def update_item(request: web.Request) -> web.Response:
    changes = parse_update(await read_json(request))
    updated = await request.app[keys.DOWNLOADS].update(request.match_info["id"], changes)
    if updated is None:
        return web.Response(status=304)
    return web.json_response(updated.public())


async def delete_items(request: web.Request) -> web.Response:
    command = parse_delete(await read_json(request))
    downloads = request.app[keys.DOWNLOADS]
    ids = command.ids
    if ids is None:
        assert command.status is not None
        ids = await downloads.ids_matching(command.location, command.status)
    result = await downloads.delete(ids, remove_file=command.remove_file, where=command.location)
    if command.ids is not None:
        return web.json_response(result)
    deleted = sum(1 for status in result.values() if status == "deleted")
    return web.json_response({"items": result, "deleted": deleted})


async def start_items(request: web.Request) -> web.Response:
    ids = parse_ids(await read_json(request))
    return web.json_response(await request.app[keys.DOWNLOADS].start(ids))


async def start_items_now(request: web.Request) -> web.Response:
    ids = parse_ids(await read_json(request))
    return web.json_response(await request.app[keys.DOWNLOADS].start_now(ids))


async def move_items(request: web.Request) -> web.Response:
    body = await read_json(request)
    ids, to = parse_ids(body), parse_position(body)
    return web.json_response(await request.app[keys.DOWNLOADS].move(ids, to))


async def pause_items(request: web.Request) -> web.Response:
    ids = parse_ids(await read_json(request))
    return web.json_response(await request.app[keys.DOWNLOADS].pause(ids))


async def cancel_items(request: web.Request) -> web.Response:
    ids = parse_ids(await read_json(request))
    return web.json_response(await request.app[keys.DOWNLOADS].cancel(ids))


async def download_file(request: web.Request) -> web.StreamResponse:
    root = request.app[keys.SETTINGS].download_path
    filename = request.match_info["filename"]
    await redirect_if_misnamed(request, filename)  # 302: a path that needs normalising
    path = resolve_under(root, filename, "filename")
    if not path.is_file():
        raise NotFound("File not found.")
    return web.FileResponse(path)


_TAGS = ("history",)
_OUTCOMES = {200: schemas.ItemOutcomes}
API = (
    ApiRoute(
        "GET",
        "/api/history/add",
        "Quick add (bookmarklet): errors are {status: false, message} too",
        {200: schemas.QuickAddAnswer},
        query=schemas.QuickAddQuery,
        errors=schemas.QuickAddAnswer,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/history/live",
        "The queue and the history count",
        {200: schemas.LiveState},
        tags=_TAGS,
    ),
    ApiRoute(
        "POST", "/api/history/start", "Start items", _OUTCOMES, body=schemas.IdsRequest, tags=_TAGS
    ),
    ApiRoute(
        "POST",
        "/api/history/start_now",
        "Start queued items at once, past the download limits and the pause",
        _OUTCOMES,
        body=schemas.IdsRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/history/move",
        "Move queued items to the top or the bottom of the queue",
        _OUTCOMES,
        body=schemas.MoveRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST", "/api/history/pause", "Pause items", _OUTCOMES, body=schemas.IdsRequest, tags=_TAGS
    ),
    ApiRoute(
        "POST",
        "/api/history/cancel",
        "Cancel items",
        _OUTCOMES,
        body=schemas.IdsRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/history",
        "The queue or history, a page at a time (type=all: both, unpaged)",
        {200: schemas.ItemPage | schemas.QueueAndHistory},
        query=schemas.HistoryQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/history",
        "Add one URL or a list",
        {200: list[schemas.AddAnswer]},
        body=AddRequest | list[AddRequest],
        tags=_TAGS,
    ),
    ApiRoute(
        "DELETE",
        "/api/history",
        "Delete items by id or by status",
        {200: schemas.ItemOutcomes | schemas.DeletedByStatus},
        body=schemas.DeleteRequest,
        tags=_TAGS,
    ),
    ApiRoute("GET", "/api/history/{id}", "One item, queued or in history", {200: Item}, tags=_TAGS),
    ApiRoute(
        "POST",
        "/api/history/{id}",
        "Change an item (304: nothing changed)",
        {200: Item, 304: None},
        body=UpdateRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "GET",
        "/api/download/{filename:.*}",
        "A file under the download path (Range requests answer 206; 302: its real path)",
        {200: Raw("*/*"), 206: Raw("*/*"), 302: None},
        tags=("files",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/history/add", quick_add),
            ("GET", "/api/history/live", live),
            ("POST", "/api/history/start", start_items),
            ("POST", "/api/history/start_now", start_items_now),
            ("POST", "/api/history/move", move_items),
            ("POST", "/api/history/pause", pause_items),
            ("POST", "/api/history/cancel", cancel_items),
            ("GET", "/api/history", list_items),
            ("POST", "/api/history", add_items),
            ("DELETE", "/api/history", delete_items),
            ("GET", "/api/history/{id}", get_item),
            ("POST", "/api/history/{id}", update_item),
            ("GET", "/api/download/{filename:.*}", download_file),
        ],
    )
    declare(app, API)
