"""The seed's CRUD handlers over a ``CrudService``: a feature lists the ones it uses, with
its own paths and extra routes, in its own ``setup()``.

List: ``{items, pagination}`` with ``page``/``per_page``; list items and DELETE answers are
``summary()`` (no secrets); GET, POST, PATCH and PUT answer the whole record. Errors come
from the service as domain errors: 400 bad id or body, 404 unknown id, 409 conflicts.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from aiohttp import web

from app.core.crud.model import CrudModel
from app.core.crud.service import CrudService
from app.core.pagination import parse_page
from app.core.web import int_id, read_object

S = TypeVar("S", bound=CrudService[Any, Any])


class CrudRoutes(Generic[S]):
    """Handlers for the service at ``key``; ``what`` names an id in errors ("preset")."""

    def __init__(self, key: web.AppKey[S], *, what: str, per_page: int) -> None:
        self._key = key
        self._what = what
        self._per_page = per_page

    def _service(self, request: web.Request) -> S:
        return request.app[self._key]

    def _id(self, request: web.Request) -> int:
        return int_id(request, self._what)

    async def list(self, request: web.Request) -> web.Response:
        records = self._service(request).all()
        query = request.query
        page = parse_page(query.get("page"), query.get("per_page"), default=self._per_page)
        chosen = records[page.offset : page.offset + page.per_page]
        return web.json_response(
            {
                "items": [r.summary().model_dump(mode="json") for r in chosen],
                "pagination": page.envelope(len(records)),
            }
        )

    async def get(self, request: web.Request) -> web.Response:
        return _whole(self._service(request).get(self._id(request)))

    async def create(self, request: web.Request) -> web.Response:
        return _whole(await self._service(request).create(await read_object(request)))

    async def patch(self, request: web.Request) -> web.Response:
        service = self._service(request)
        return _whole(await service.patch(self._id(request), await read_object(request)))

    async def replace(self, request: web.Request) -> web.Response:
        service = self._service(request)
        return _whole(await service.replace(self._id(request), await read_object(request)))

    async def delete(self, request: web.Request) -> web.Response:
        record = await self._service(request).delete(self._id(request))
        return web.json_response(record.summary().model_dump(mode="json"))


def _whole(record: CrudModel) -> web.Response:
    return web.json_response(record.model_dump(mode="json"))
