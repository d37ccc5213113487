"""The shapes every TubeArchivist view answers in."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from app.compat.tubearchivist.context import Context
from app.compat.tubearchivist.docs import CONFIG, bare_channel, video_doc
from app.compat.tubearchivist.paging import TaPage
from app.core.errors import NotFound
from app.library.models import Video


def listed(data: list[Any], page: TaPage, total: int) -> web.Response:
    """``{data, paginate}``; a page past the last one is a 404, as TubeArchivist's (past
    10,000 hits too, where Elasticsearch would refuse the page)."""
    if page.current > 1 and (not data or page.current > page.last_page(total)):
        raise NotFound(f"Page {page.current} is past the last page.")
    return web.json_response({"data": data, "paginate": page.paginate(total)})


def item(data: Any) -> web.Response:
    return web.json_response({"data": data, "config": CONFIG})


def missing(error: str) -> web.Response:
    """A missing item: extension 0.3 reads ``data``, 0.4 reads ``error``."""
    return web.json_response({"data": False, "error": error}, status=404)


async def video_docs(ctx: Context, user: int, videos: list[Video]) -> list[dict[str, Any]]:
    """Videos as documents, with their channels and the user's progress (two queries)."""
    library = ctx.library
    channels = await library.channels_by_id([v.channel_id for v in videos if v.channel_id])
    progress = await library.progress_of(user, [v.video_id for v in videos])
    return [
        video_doc(v, channels.get(v.channel_id or "") or bare_channel(v), progress.get(v.video_id))
        for v in videos
    ]
