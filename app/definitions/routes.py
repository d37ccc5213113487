"""HTTP routes for /api/tasks/definitions: the CRUD kit's handlers, a list that shows rules
only when asked, and an inspection that reads a URL without queueing anything."""

from __future__ import annotations

from aiohttp import web

from app import keys
from app.core.crud import CrudRoutes
from app.core.errors import InvalidInput
from app.core.openapi import declare
from app.core.pagination import parse_page
from app.core.web import add_routes, read_model
from app.definitions import schemas
from app.definitions.models import DefinitionModel
from app.definitions.service import DefinitionService

PATH = schemas.PATH


async def list_definitions(request: web.Request) -> web.Response:
    service = request.app[keys.TASK_DEFINITIONS]
    query = request.query
    page = parse_page(
        query.get("page"),
        query.get("per_page"),
        default=request.app[keys.SETTINGS].default_pagination,
    )
    chosen = service.all()[page.offset : page.offset + page.per_page]
    exclude = None if query.get("include") == "definition" else {"definition"}
    return web.json_response(
        {
            "items": [r.model_dump(mode="json", exclude=exclude) for r in chosen],
            "pagination": page.envelope(len(service.all())),
        }
    )


async def inspect(request: web.Request) -> web.Response:
    body = await read_model(request, schemas.DefinitionInspectBody)
    service = request.app[keys.TASK_DEFINITIONS]
    record = _chosen(service, body)
    definition = body.definition or (record.definition if record else None)
    if definition is None:
        raise InvalidInput(f"No enabled task definition matches {body.url}.")
    reading = await service.read(definition, body.url)
    answer = schemas.DefinitionInspectAnswer(
        matched=reading.matched,
        definition=None if body.definition or record is None else record.name,
        items=[
            schemas.DefinitionInspectItem.model_validate(e, from_attributes=True)
            for e in reading.parsed.entries
        ],
        metadata=schemas.DefinitionInspectMetadata(
            raw_count=reading.parsed.raw_count, page_url=reading.page_url
        ),
    )
    return web.json_response(answer.model_dump(mode="json"))


def _chosen(
    service: DefinitionService, body: schemas.DefinitionInspectBody
) -> DefinitionModel | None:
    if body.definition is not None:
        return None
    if body.id is not None:
        return service.get(body.id)
    return service.matching(body.url)


def setup(app: web.Application) -> None:
    crud = CrudRoutes(
        keys.TASK_DEFINITIONS,
        what="task definition",
        per_page=app[keys.SETTINGS].default_pagination,
    )
    add_routes(
        app.router,
        [
            ("GET", PATH, list_definitions),
            ("POST", PATH, crud.create),
            ("POST", PATH + "inspect", inspect),
            ("GET", PATH + "{id}", crud.get),
            ("PATCH", PATH + "{id}", crud.patch),
            ("PUT", PATH + "{id}", crud.replace),
            ("DELETE", PATH + "{id}", crud.delete),
        ],
    )
    declare(app, schemas.API)
