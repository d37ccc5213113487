"""HTTP routes for download archives: /api/archiver and /api/history/{id}/archive."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.archives.schemas import ArchiveChange, ArchiveChangeRequest, ArchiveContents, ArchiveQuery
from app.archives.service import check_ids
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, Message, declare
from app.core.web import add_routes, read_object


async def read_archive(request: web.Request) -> web.Response:
    service = request.app[keys.ARCHIVES]
    file = service.file_for(request.query.get("preset"))
    ids_text = request.query.get("ids", "")
    ids = [part.strip() for part in ids_text.split(",") if part.strip()] if ids_text else None
    items = await service.read(file, ids)
    return web.json_response({"file": str(file), "items": items, "count": len(items)})


async def add_to_archive(request: web.Request) -> web.Response:
    service = request.app[keys.ARCHIVES]
    data = await read_object(request)
    file = service.file_for(data.get("preset"))
    skip_check = data.get("skip_check", False)
    if not isinstance(skip_check, bool):
        raise InvalidInput("skip_check must be a boolean.")
    change = await service.add(file, check_ids(data.get("items")), skip_check=skip_check)
    presets = service.presets_using(file)
    await request.app[keys.DOWNLOADS].mark_archived(change.items, presets, archived=True)
    return _changed(str(change.file), change.items)


async def remove_from_archive(request: web.Request) -> web.Response:
    service = request.app[keys.ARCHIVES]
    data = await read_object(request)
    file = service.file_for(data.get("preset"))
    change = await service.remove(file, check_ids(data.get("items")))
    presets = service.presets_using(file)
    await request.app[keys.DOWNLOADS].mark_archived(change.items, presets, archived=False)
    return _changed(str(change.file), change.items)


async def archive_item(request: web.Request) -> web.Response:
    message = await request.app[keys.ITEM_ARCHIVER].archive(request.match_info["id"])
    return web.json_response({"message": message})


async def unarchive_item(request: web.Request) -> web.Response:
    message = await request.app[keys.ITEM_ARCHIVER].unarchive(request.match_info["id"])
    return web.json_response({"message": message})


def _changed(file: str, items: list[str]) -> web.Response:
    if not items:
        return web.Response(status=304)  # a 304 carries no body
    return web.json_response({"file": file, "status": True, "items": items})


_TAGS = ("archives",)
API = (
    ApiRoute(
        "GET",
        "/api/archiver",
        "Read a preset's download archive",
        {200: ArchiveContents},
        query=ArchiveQuery,
        tags=_TAGS,
    ),
    ApiRoute(
        "POST",
        "/api/archiver",
        "Add ids to a preset's archive (304: none added)",
        {200: ArchiveChange, 304: None},
        body=ArchiveChangeRequest,
        tags=_TAGS,
    ),
    ApiRoute(
        "DELETE",
        "/api/archiver",
        "Remove ids from a preset's archive (304: none removed)",
        {200: ArchiveChange, 304: None},
        body=ArchiveChangeRequest,
        tags=_TAGS,
    ),
    ApiRoute("POST", "/api/history/{id}/archive", "Archive an item", {200: Message}, tags=_TAGS),
    ApiRoute(
        "DELETE", "/api/history/{id}/archive", "Unarchive an item", {200: Message}, tags=_TAGS
    ),
)


def setup(app: web.Application) -> None:
    add_routes(
        app.router,
        [
            ("GET", "/api/archiver", read_archive),
            ("POST", "/api/archiver", add_to_archive),
            ("DELETE", "/api/archiver", remove_from_archive),
            ("POST", "/api/history/{id}/archive", archive_item),
            ("DELETE", "/api/history/{id}/archive", unarchive_item),
        ],
    )
    declare(app, API)
