"""A test-only compatibility layer, "probe", declared as the real ones are.

Its errors are ``{"detail": ...}``, its credential is ``Authorization: Token <TOKEN>``
and its routes read the presets service the native app built.
"""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from app import keys
from app.compat.layer import Layer, detail_body
from app.core.errors import Forbidden, NotFound
from app.core.web import read_object
from app.settings import Settings

TOKEN = "probe-token"
PREFIX = "/probe"


async def preset_names(request: web.Request) -> web.Response:
    presets = request.config_dict[keys.PRESETS]
    return web.json_response({"names": [preset.name for preset in presets.all()]})


async def preset(request: web.Request) -> web.Response:
    name = request.match_info["name"]
    found = request.config_dict[keys.PRESETS].by_name(name)
    if found is None:
        raise NotFound(f"No preset named {name!r}.")
    return web.json_response({"name": found.name})


async def echo(request: web.Request) -> web.Response:
    return web.json_response({"echo": await read_object(request)})


async def boom(request: web.Request) -> web.Response:
    raise RuntimeError("a bug in a layer")


def routes(app: web.Application) -> None:
    app.router.add_get("/presets", preset_names)
    app.router.add_get("/presets/{name}", preset)
    app.router.add_post("/echo", echo)
    app.router.add_get("/boom", boom)


def token_auth(settings: Settings) -> Middleware:
    @web.middleware
    async def token(request: web.Request, handler: Handler) -> web.StreamResponse:
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "token":
            raise Forbidden("Authentication credentials were not provided.")
        if value != TOKEN:
            raise Forbidden("Invalid token.")
        return await handler(request)

    return token


def probe_layer(port: int | None = None, prefix: str = PREFIX) -> Layer:
    """The layer on the main port under ``prefix`` and, given a port, on that one too."""
    return Layer(
        name="probe",
        routes=routes,
        error_body=detail_body,
        auth=token_auth,
        prefix=prefix,
        port=lambda settings: port,
    )
