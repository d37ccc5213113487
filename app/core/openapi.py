"""OpenAPI 3.1 documents built from route declarations and the pydantic models behind them.

Each feature declares its routes next to its route table as ``ApiRoute`` records and hands
them to ``declare(app, ...)`` in its ``setup``; ``build_document`` turns one app's
declarations into its document, and ``serve`` answers it at a path of that app. An API layer
(its own ``web.Application``) declares its own routes and serves its own document.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from aiohttp import web
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, SkipJsonSchema

from app.core.web import add_routes

REF = "#/components/schemas/{model}"
_SKIPPED: Any = SkipJsonSchema  # subscripted at run time, which mypy cannot follow
_PARAM = re.compile(r"\{([^}:]+)(?::[^}]*)?\}")


class ErrorAnswer(BaseModel):
    """Every 4xx/5xx answer of the native API."""

    error: str


class Message(BaseModel):
    message: str


@dataclass(frozen=True, slots=True)
class Raw:
    """A body that is not JSON described by a model: a file, a stream, a document."""

    media_type: str = "application/octet-stream"
    schema: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ApiRoute:
    """One operation of an API, as its document shows it.

    ``path`` is written as it is registered with aiohttp (``{filename:.*}`` included).
    ``body`` and the values of ``responses`` are anything pydantic can describe (a model,
    ``list[Model]``, a union), a ``Raw`` body, or ``None`` for an answer without a body.
    ``query`` is a model whose fields are the query parameters; ``path_params`` gives a
    type to a path parameter (strings otherwise). ``errors`` describes the 4xx answers.
    """

    method: str
    path: str
    summary: str
    responses: Mapping[int, Any] = field(default_factory=lambda: {200: Message})
    body: Any = None
    body_required: bool = True
    query: type[BaseModel] | None = None
    path_params: Mapping[str, Any] = field(default_factory=dict)
    errors: Any = ErrorAnswer
    tags: tuple[str, ...] = ()
    description: str = ""

    @property
    def doc_path(self) -> str:
        """The OpenAPI path: no regular expressions, no trailing slash."""
        path = _PARAM.sub(r"{\1}", self.path)
        return path.rstrip("/") or "/"

    @property
    def operation_id(self) -> str:
        words = re.sub(r"[^A-Za-z0-9]+", "_", self.doc_path).strip("_")
        return f"{self.method.lower()}_{words}"


API_ROUTES: web.AppKey[list[ApiRoute]] = web.AppKey("api_routes")
API_INFO: web.AppKey[dict[str, str]] = web.AppKey("api_info")


def declare(app: web.Application, routes: Iterable[ApiRoute]) -> None:
    """Adds routes to the app's document (call from a feature's ``setup``)."""
    app.setdefault(API_ROUTES, []).extend(routes)


def declared(app: web.Application) -> list[ApiRoute]:
    if API_ROUTES not in app:
        return []
    routes = app[API_ROUTES]
    return [*routes]


def serve(app: web.Application, path: str, *, title: str, version: str) -> None:
    """Answers the app's document at ``path``, built once at the first request."""
    app[API_INFO] = {"title": title, "version": version}
    built: dict[str, Any] = {}

    async def document(request: web.Request) -> web.Response:
        if not built:
            built.update(document_of(request.app))
        # Relative to where this app is mounted (a base path, a layer's prefix).
        prefix = request.path.rstrip("/").removesuffix(path.rstrip("/"))
        return web.json_response({**built, "servers": [{"url": prefix or "/"}]})

    add_routes(app.router, [("GET", path, document)])
    declare(
        app,
        [ApiRoute("GET", path, "This API's OpenAPI document", {200: Raw("application/json")})],
    )


def document_of(app: web.Application) -> dict[str, Any]:
    """The document of an app that ``serve``s one, from the routes its features declared."""
    return build_document(declared(app), **app[API_INFO])


def build_document(
    routes: Iterable[ApiRoute], *, title: str, version: str, description: str = ""
) -> dict[str, Any]:
    """The OpenAPI 3.1 document of these routes, with every model under ``components``."""
    routes = list(routes)
    schemas = _Schemas()
    for route in routes:
        schemas.add_route(route)
    refs, components = schemas.generate()
    paths: dict[str, dict[str, Any]] = {}
    for index, route in enumerate(routes):
        operation = _operation(index, route, refs)
        paths.setdefault(route.doc_path, {})[route.method.lower()] = operation
    info = {"title": title, "version": version}
    if description:
        info["description"] = description
    return {
        "openapi": "3.1.0",
        "info": info,
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": dict(sorted(components.items()))},
    }


Key = tuple[int, str]


class _Schemas:
    """Collects every type the routes name and generates their schemas in one pass."""

    def __init__(self) -> None:
        self._inputs: list[tuple[Key, JsonSchemaMode, Any]] = []
        self._index = 0

    def add(self, key: str, kind: Any, mode: JsonSchemaMode) -> None:
        if kind is None or isinstance(kind, Raw):
            return
        self._inputs.append(((self._index, key), mode, TypeAdapter(kind).core_schema))

    def add_route(self, route: ApiRoute) -> None:
        self.add("body", route.body, "validation")
        self.add("query", route.query, "validation")
        self.add("errors", route.errors, "serialization")
        for name, kind in route.path_params.items():
            self.add(f"path:{name}", kind, "validation")
        for status, kind in route.responses.items():
            self.add(f"response:{status}", kind, "serialization")
        self._index += 1

    def generate(self) -> tuple[dict[Key, dict[str, Any]], dict[str, Any]]:
        generator = GenerateJsonSchema(by_alias=True, ref_template=REF)
        mapping, defs = generator.generate_definitions(self._inputs)
        schemas = {key: schema for (key, _mode), schema in mapping.items()}
        return schemas, {str(name): schema for name, schema in defs.items()}


def _operation(index: int, route: ApiRoute, refs: Mapping[Key, dict[str, Any]]) -> dict[str, Any]:
    operation: dict[str, Any] = {"operationId": route.operation_id, "summary": route.summary}
    if route.description:
        operation["description"] = route.description
    if route.tags:
        operation["tags"] = list(route.tags)
    parameters = _path_parameters(index, route, refs) + _query_parameters(index, route, refs)
    if parameters:
        operation["parameters"] = parameters
    if route.body is not None:
        operation["requestBody"] = {
            "required": route.body_required,
            "content": _content(route.body, refs.get((index, "body"))),
        }
    responses: dict[str, Any] = {}
    for status, kind in sorted(route.responses.items()):
        responses[str(status)] = _response(status, kind, refs.get((index, f"response:{status}")))
    if route.errors is not None:
        responses["4XX"] = _response(400, route.errors, refs.get((index, "errors")))
        responses["4XX"]["description"] = "Refused: bad input, unknown item, conflict, ..."
    operation["responses"] = responses
    return operation


def _response(status: int, kind: Any, schema: dict[str, Any] | None) -> dict[str, Any]:
    answer: dict[str, Any] = {"description": HTTPStatus(status).phrase}
    if kind is not None:
        answer["content"] = _content(kind, schema)
    return answer


def _content(kind: Any, schema: dict[str, Any] | None) -> dict[str, Any]:
    if isinstance(kind, Raw):
        return {kind.media_type: {"schema": dict(kind.schema)}}
    return {"application/json": {"schema": schema or {}}}


def _path_parameters(
    index: int, route: ApiRoute, refs: Mapping[Key, dict[str, Any]]
) -> list[dict[str, Any]]:
    return [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": refs.get((index, f"path:{name}"), {"type": "string"}),
        }
        for name in _PARAM.findall(route.path)
    ]


def _query_parameters(
    index: int, route: ApiRoute, refs: Mapping[Key, dict[str, Any]]
) -> list[dict[str, Any]]:
    schema = refs.get((index, "query"))
    if route.query is None or schema is None:
        return []
    properties = _resolve(schema, route.query).get("properties", {})
    required = set(_resolve(schema, route.query).get("required", []))
    parameters = []
    for name, prop in properties.items():
        parameter = {"name": name, "in": "query", "required": name in required, "schema": prop}
        if "description" in prop:
            parameter["description"] = prop["description"]
        parameters.append(parameter)
    return parameters


def _resolve(schema: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """A query model's own schema (its reference is replaced by the model's fields)."""
    if "$ref" not in schema:
        return schema
    return model.model_json_schema(ref_template=REF, mode="validation")


# Models other modules derive from their own: list entries, pages, query strings.


class Pagination(BaseModel):
    page: int
    per_page: int
    total: int
    total_pages: int
    has_next: bool
    has_prev: bool


class PageQuery(BaseModel):
    """``page`` and ``per_page`` of every list."""

    model_config = ConfigDict(extra="forbid")

    page: int = Field(default=1, ge=1, le=1_000_000_000)
    per_page: int | SkipJsonSchema[None] = Field(
        default=None, ge=1, le=1000, description="Default: YTP_DEFAULT_PAGINATION"
    )


def page_model(name: str, entry: Any) -> type[BaseModel]:
    """``{"items": [entry...], "pagination": {...}}`` under its own schema name."""
    return create_model(name, items=(list[entry], ...), pagination=(Pagination, ...))


def entry_model(
    name: str,
    model: type[BaseModel],
    *,
    drop: Iterable[str] = (),
    add: Mapping[str, Any] | None = None,
) -> type[BaseModel]:
    """``model``'s fields without ``drop`` and with ``add`` (name: (type, default)).

    For answers that hide a secret (lists show ``has_cookies`` instead of ``cookies``):
    the field list stays declared once, on ``model``.
    """
    skipped = set(drop)
    fields: dict[str, Any] = {
        key: (info.annotation, info)
        for key, info in model.model_fields.items()
        if key not in skipped
    }
    fields.update(add or {})
    config = ConfigDict(extra=model.model_config.get("extra"))
    return create_model(name, __config__=config, **fields)


def partial_model(name: str, model: type[BaseModel]) -> type[BaseModel]:
    """``model`` with every field optional: a PATCH body."""
    fields: dict[str, Any] = {}
    for key, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default, optional.default_factory = None, None
        fields[key] = (info.annotation | _SKIPPED[None], optional)  # null is not offered
    config = ConfigDict(extra=model.model_config.get("extra"))
    return create_model(name, __config__=config, **fields)


def crud_api(
    path: str,
    *,
    noun: str,
    fields: type[BaseModel],
    record: type[BaseModel],
    entry: type[BaseModel],
    tag: str,
) -> list[ApiRoute]:
    """The six routes of a stored list (list, create, get, patch, replace, delete).

    ``fields`` is what clients write, ``record`` the whole record (GET and write answers),
    ``entry`` what lists and DELETE show (no secrets).
    """
    one = path.rstrip("/") + "/{id}"
    ids = {"id": int}
    tags = (tag,)
    patch = partial_model(f"{fields.__name__}Patch", fields)
    return [
        ApiRoute(
            "GET",
            path,
            f"List {noun}s",
            {200: page_model(f"{entry.__name__}Page", entry)},
            query=PageQuery,
            tags=tags,
        ),
        ApiRoute("POST", path, f"Create a {noun}", {200: record}, body=fields, tags=tags),
        ApiRoute("GET", one, f"One {noun}", {200: record}, path_params=ids, tags=tags),
        ApiRoute(
            "PATCH",
            one,
            f"Change some fields of a {noun}",
            {200: record},
            body=patch,
            path_params=ids,
            tags=tags,
        ),
        ApiRoute(
            "PUT", one, f"Replace a {noun}", {200: record}, body=fields, path_params=ids, tags=tags
        ),
        ApiRoute("DELETE", one, f"Delete a {noun}", {200: entry}, path_params=ids, tags=tags),
    ]
