"""A layer at the root of the main port, beside the native routes (yt-dlp-host's place).

aiohttp mounts a sub-app under a prefix; at the root there is none, so the layer's app is
reached through a resource that claims the first path segments the layer uses
(``/get_video``, ``/status``, ``/files``...) and nothing else. It is checked before the
native routes (aiohttp tries rule-matched sub-apps first), so a native catch-all such as
the UI's root files cannot take those paths; ``mount`` refuses a layer whose segments a
native route also starts with.

The layer's real clients join paths to a base URL that may end in ``/``: runs of slashes
(``//get_video``) are read as one when the layer's routes are resolved.
"""

from __future__ import annotations

import re

from aiohttp import web
from aiohttp.web_urldispatcher import (
    AbstractRuleMatching,
    MatchedSubAppResource,
    _InfoDict,
    _Resolve,
)

_SLASHES = re.compile(r"//+")


def first_segments(app: web.Application) -> frozenset[str]:
    """The first path segment of every route of ``app``."""
    segments = set()
    for resource in app.router.resources():
        segment = resource.canonical.lstrip("/").partition("/")[0]
        if not segment or "{" in segment:
            raise ValueError(f"a layer at the root needs fixed first segments, not {segment!r}")
        segments.add(segment)
    return frozenset(segments)


class _Segments(AbstractRuleMatching):
    """Matches requests whose first path segment (inside ``prefix``) is one of ``names``."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names
        self.prefix = ""  # the base path, once the native app is put under one

    def segment(self, path: str) -> str | None:
        if self.prefix:
            if not path.startswith(self.prefix + "/"):
                return None
            path = path[len(self.prefix) :]
        return path.lstrip("/").partition("/")[0]

    async def match(self, request: web.Request) -> bool:
        return self.segment(_SLASHES.sub("/", request.rel_url.path)) in self.names

    def get_info(self) -> _InfoDict:
        return {"prefix": self.prefix or "/"}

    @property
    def canonical(self) -> str:
        return self.prefix or "/"


class RootLayerResource(MatchedSubAppResource):
    def __init__(self, app: web.Application) -> None:
        self._segments = _Segments(first_segments(app))
        super().__init__(self._segments, app)

    @property
    def segments(self) -> frozenset[str]:
        return self._segments.names

    def add_prefix(self, prefix: str) -> None:
        """The native app went under ``YTP_BASE_PATH``: so do the layer's routes."""
        self._segments.prefix = prefix + self._segments.prefix
        router = self._app.router
        for resource in router.resources():
            router.unindex_resource(resource)  # its canonical path changes: index it again
            resource.add_prefix(prefix)
            router.index_resource(resource)

    async def resolve(self, request: web.Request) -> _Resolve:
        path = request.rel_url.path
        collapsed = _SLASHES.sub("/", path)
        if self._segments.segment(collapsed) not in self._segments.names:
            return None, set()
        target = request
        if collapsed != path:
            target = request.clone(rel_url=request.rel_url.with_path(collapsed))
        match_info = await self._app.router.resolve(target)
        match_info.add_app(self._app)
        methods: set[str] = set()
        if isinstance(match_info.http_exception, web.HTTPMethodNotAllowed):
            methods = set(match_info.http_exception.allowed_methods)
        return match_info, methods


def mount_at_root(native: web.Application, layer_app: web.Application) -> RootLayerResource:
    """Adds ``layer_app`` at the root of ``native`` (signals, freezing: as a sub-app)."""
    resource = RootLayerResource(layer_app)
    taken = {
        other.canonical
        for other in native.router.resources()
        if other.canonical.lstrip("/").partition("/")[0] in resource.segments
    }
    if taken:
        raise ValueError(f"the paths {sorted(taken)} are taken by native routes")
    # ``add_domain`` does this for a Domain rule; the same private step takes any rule.
    native._add_subapp(lambda: resource, layer_app)
    # Putting the native app under a base path re-indexes each of its resources, which
    # fails for one never indexed; indexed, it is also tried (and declines) at "/".
    native.router.index_resource(resource)
    return resource
