"""Reading server-sent events from an aiohttp client response, as a browser would."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import ClientResponse


async def sse_events(response: ClientResponse) -> AsyncIterator[tuple[str, Any]]:
    """(event name, parsed data) for each event; comments (heartbeats) are skipped."""
    name, data = "message", list[str]()
    async for raw in response.content:
        line = raw.decode().rstrip("\r\n")
        if not line:
            if data:
                yield name, json.loads("\n".join(data))
            name, data = "message", list[str]()
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].strip())


async def next_event(events: AsyncIterator[tuple[str, Any]], wanted: str) -> Any:
    async for name, data in events:
        if name == wanted:
            return data
    raise AssertionError(f"the stream ended before a {wanted!r} event")
