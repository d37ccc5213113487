"""``/api/refresh/``: TubeArchivist's reindex queue over the library's ``Refresher``.

``POST`` names the videos, channels and playlists to read again (``{"videos": [...],
"channels": [...], "playlists": [...]}`` as the seed writes it, or ``video``, ``channel``,
``playlist`` as TubeArchivist's code and web UI send them); ``?extract_videos=true`` adds
every video of the channels and playlists named. Every id must be in the library: one
that is not makes the whole request a 400 that names it, and nothing is queued.
``GET`` is TubeArchivist's progress: ``{"total_queued", "type", "state"}``, or with
``?type=video&id=<id>`` whether that id still waits (``"in_queue"`` or ``false``).
"""

from __future__ import annotations

import uuid
from typing import Any, get_args

from aiohttp import web

from app.compat.tubearchivist.context import context
from app.core.errors import InvalidInput
from app.core.web import read_json
from app.library.refresh import KINDS, Kind, Wanted

SPELLINGS: dict[str, Kind] = {
    "videos": "video",
    "video": "video",
    "channels": "channel",
    "channel": "channel",
    "playlists": "playlist",
    "playlist": "playlist",
}
MAX_IDS = 1000
MAX_ID_LENGTH = 200
# Django REST framework's BooleanField, which reads TubeArchivist's query; "" is false.
TRUE = frozenset({"t", "y", "yes", "true", "on", "1"})
FALSE = frozenset({"", "f", "n", "no", "false", "off", "0"})


def _flag(text: str) -> bool:
    if text.lower() in TRUE:
        return True
    if text.lower() in FALSE:
        return False
    raise InvalidInput("extract_videos must be true or false.")


def _wanted(body: Any) -> Wanted:
    if not isinstance(body, dict):
        raise InvalidInput("The body must be an object of videos, channels and playlists.")
    wanted: Wanted = {}
    for key, ids in body.items():
        kind = SPELLINGS.get(key)
        if kind is None:
            raise InvalidInput(f"Unknown key {key[:50]!r}: send videos, channels and playlists.")
        fine = isinstance(ids, list) and all(
            isinstance(i, str) and 0 < len(i) <= MAX_ID_LENGTH for i in ids
        )
        if not fine:
            raise InvalidInput(f"{key} must be a list of ids (1 to {MAX_ID_LENGTH} characters).")
        wanted[kind] = list(dict.fromkeys([*wanted.get(kind, []), *ids]))
    if sum(len(ids) for ids in wanted.values()) > MAX_IDS:
        raise InvalidInput(f"At most {MAX_IDS} ids at once.")
    return wanted


def _unknown_message(missing: Wanted) -> str:
    named = "; ".join(
        f"{kind} " + ", ".join(repr(i[:MAX_ID_LENGTH]) for i in ids[:20])
        for kind, ids in missing.items()
    )
    return f"Not in the library: {named}."


async def refresh_run(request: web.Request) -> web.Response:
    extract_videos = _flag(request.query.get("extract_videos", ""))
    body = await read_json(request) if request.can_read_body else {}
    wanted = _wanted(body)
    refresher = context(request).refresher
    missing = await refresher.unknown(wanted)
    if missing:
        raise InvalidInput(_unknown_message(missing))
    await refresher.add(wanted, extract_videos=extract_videos)
    # 0.3 echoed the body; later versions answer with the task.
    answer = {**body, "message": "reindex task started", "task_id": uuid.uuid4().hex}
    return web.json_response(answer)


async def refresh_state(request: web.Request) -> web.Response:
    kind, given = request.query.get("type"), request.query.get("id")
    if given and not kind:
        raise InvalidInput("An id also needs its type.")
    if kind is not None and kind not in get_args(Kind):
        raise InvalidInput(f"type must be one of {', '.join(KINDS)}.")
    refresher = context(request).refresher
    chosen: Kind | None = SPELLINGS.get(kind) if kind else None
    total = refresher.queued(chosen)
    answer: dict[str, Any] = {"total_queued": total, "type": chosen or "all"}
    if given and chosen:
        answer.update(id=given, state="in_queue" if refresher.in_queue(chosen, given) else False)
    else:
        answer["state"] = "running" if total else "empty"
    return web.json_response(answer)
