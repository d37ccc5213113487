"""A small TubeArchivist client written from the wire facts (COMPAT.md), as the browser
extension and the CLI tools call the API: scheme, host and port, ``/api/...`` paths with
a trailing slash, ``Authorization: Token``."""

from __future__ import annotations

from typing import Any

import aiohttp


class TaClient:
    def __init__(self, base_url: str, token: str = "") -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.session = aiohttp.ClientSession()

    async def close(self) -> None:
        await self.session.close()

    def headers(self) -> dict[str, str]:
        return {
            "Accept": "application/json",
            "Content-Type": "application/json",
            "Authorization": f"Token {self.token}",
            "mode": "no-cors",  # the extension sends it as a header
        }

    async def call(
        self, method: str, path: str, body: Any = None, **kwargs: Any
    ) -> tuple[int, Any]:
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {**self.headers(), **kwargs.pop("headers", {})}
        async with self.session.request(
            method, url, json=body, headers=headers, allow_redirects=False, **kwargs
        ) as answer:
            if answer.content_type == "application/json":
                return answer.status, await answer.json()
            return answer.status, await answer.read()

    async def get(self, path: str, **kwargs: Any) -> Any:
        status, body = await self.call("GET", path, **kwargs)
        assert status == 200, (path, status, body)
        return body

    async def login(self, username: str, password: str) -> None:
        status, body = await self.call(
            "POST", "api/login/", {"username": username, "password": password}
        )
        assert status == 200, body
        self.token = body["token"]

    async def every_page(self, path: str) -> list[dict[str, Any]]:
        """What a CLI client does: page until ``next_pages`` is empty."""
        found: list[dict[str, Any]] = []
        page = 1
        for _ in range(1000):
            body = await self.get(path, params={"page": page})
            found += body["data"]
            if not body["paginate"]["next_pages"]:
                return found
            page = body["paginate"]["next_pages"][0]
        raise AssertionError("next_pages never ran out")
