from __future__ import annotations

from tests.tubearchivist.client import TaClient


async def test_ping(ta: TaClient) -> None:
    assert await ta.get("api/ping/") == {"response": "pong", "user": 1, "version": "v0.4.0"}
