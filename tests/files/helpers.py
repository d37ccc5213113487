"""Small helpers of the file API tests."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from tests.conftest import Client
from tests.integration.helpers import call


def touch(path: Path, data: bytes = b"x", mtime: float | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))
    return path


async def listing(client: Client, path: str = "", **query: Any) -> dict[str, Any]:
    result: dict[str, Any] = await call(
        client, "GET", f"/api/file/browser/{path}", params={k: str(v) for k, v in query.items()}
    )
    return result


def names(answer: dict[str, Any]) -> list[str]:
    return [entry["name"] for entry in answer["contents"]]


async def act(client: Client, *actions: dict[str, Any], status: int = 200) -> Any:
    return await call(client, "POST", "/api/file/actions", status=status, json=list(actions))


# Spellings of "somewhere else" for a path parameter: each must be refused or not found.
TRAVERSALS = [
    "../outside/secret.txt",
    "a/../../outside/secret.txt",
    "..\\outside\\secret.txt",
    "/../outside/secret.txt",
    "%2e%2e/outside/secret.txt",
    "..%2foutside%2fsecret.txt",
    "secret\x00.txt",
]
