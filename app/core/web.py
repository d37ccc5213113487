"""HTTP plumbing shared by every feature: errors as JSON, body parsing, route helpers."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

from aiohttp import web
from aiohttp.typedefs import Middleware
from pydantic import BaseModel, ValidationError

from app.core.errors import AppError, InvalidInput, TooManyRequests
from app.core.limits import check_int, load_json

log = logging.getLogger(__name__)

M = TypeVar("M", bound=BaseModel)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
# How an API spells an error: ``{"error": ...}`` here, ``{"detail": ...}`` elsewhere.
ErrorBody = Callable[[int, str], Mapping[str, Any]]


def native_body(status: int, message: str) -> Mapping[str, Any]:
    return {"error": message}


def error_response(status: int, message: str, body: ErrorBody = native_body) -> web.Response:
    return web.json_response(dict(body(status, message)), status=status)


def describe_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors():
        where = ".".join(str(p) for p in item["loc"]) or "body"
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}")
    return "; ".join(parts)


def error_middleware_for(body: ErrorBody) -> Middleware:
    """Turns domain errors, validation errors and HTTP errors into one API's error body."""

    @web.middleware
    async def errors(request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except TooManyRequests as exc:
            response = error_response(exc.status, exc.message, body)
            response.headers["Retry-After"] = str(exc.retry_after)
            return response
        except AppError as exc:
            return error_response(exc.status, exc.message, body)
        except ValidationError as exc:
            return error_response(400, describe_validation(exc), body)
        except web.HTTPException as exc:
            if exc.status < 400 or exc.content_type == "application/json":
                raise
            text = exc.text
            reason = text if text and not text.startswith(f"{exc.status}:") else exc.reason
            return error_response(exc.status, reason, body)
        except Exception:
            log.exception("unhandled error on %s %s", request.method, request.path)
            return error_response(500, "Internal server error.", body)

    return errors


error_middleware = error_middleware_for(native_body)  # the native API's: ``{"error": ...}``


async def read_json(request: web.Request) -> Any:
    """The request body as JSON; an empty or malformed body is a 400.

    Cross-site form posts never get here: the doors (``core/doors.py``) ask every state
    change for proof of its origin first.
    """
    body = await request.read()
    if not body.strip():
        raise InvalidInput("The request body is empty.")
    return load_json(body)


async def read_object(request: web.Request) -> dict[str, Any]:
    """The request body as a JSON object; anything else is a 400."""
    data = await read_json(request)
    if not isinstance(data, dict):
        raise InvalidInput("The request body must be a JSON object.")
    return data


async def read_model(request: web.Request, model: type[M]) -> M:
    return model.model_validate(await read_object(request))


def int_id(request: web.Request, what: str) -> int:
    """The ``{id}`` of a route whose ids are integers (presets, conditions, fields)."""
    try:
        return check_int(int(request.match_info["id"]), f"The {what} id")
    except ValueError:
        raise InvalidInput(f"A valid {what} id is required.") from None


def json_text(text: str, status: int = 200) -> web.Response:
    """A JSON answer already encoded (history pages are joined from stored JSON)."""
    return web.Response(text=text, status=status, content_type="application/json")


def add_routes(router: web.UrlDispatcher, routes: Iterable[tuple[str, str, Handler]]) -> None:
    """Registers each route with and without a trailing slash (clients use both)."""
    for method, path, handler in routes:
        router.add_route(method, path, handler)
        if path.endswith("/"):
            router.add_route(method, path.rstrip("/"), handler)
        elif not path.endswith(".*}"):
            router.add_route(method, path + "/", handler)
