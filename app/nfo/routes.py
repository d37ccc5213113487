"""HTTP route for POST /api/history/{id}/nfo."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from app import keys
from app.core.errors import InvalidInput
from app.core.openapi import ApiRoute, declare
from app.core.web import add_routes, read_json
from app.ytdlp.nfo import Kind


class NfoRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    type: Kind = "tv"
    overwrite: bool = False


async def create_nfo(request: web.Request) -> web.Response:
    body = NfoRequest.model_validate(await _optional_object(request))
    nfo_file = await request.app[keys.NFO].create(
        request.match_info["id"], body.type, overwrite=body.overwrite
    )
    return web.json_response({"message": "NFO file created", "nfo_file": nfo_file})


async def _optional_object(request: web.Request) -> dict[str, object]:
    # The body is optional: no body means a tv NFO that does not overwrite.
    if not request.can_read_body:
        return {}
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


class NfoCreated(BaseModel):
    message: str
    nfo_file: str


API = (
    ApiRoute(
        "POST",
        "/api/history/{id}/nfo",
        "Write a Kodi NFO file beside an item's media file",
        {200: NfoCreated},
        body=NfoRequest,
        body_required=False,
        tags=("history",),
    ),
)


def setup(app: web.Application) -> None:
    add_routes(app.router, [("POST", "/api/history/{id}/nfo", create_nfo)])
    declare(app, API)
