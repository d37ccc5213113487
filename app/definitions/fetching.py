"""The server fetches a definition's page itself, under the same address policy as downloads.

Every hop is checked three times: a numeric or ``localhost`` host before connecting, each
address DNS gives before it is used (the connector's resolver), and the address the socket
actually reached (its peer). Redirects are followed here, one hop at a time, so each new
host goes through the same checks. The body is read up to a size cap, within a timeout.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import aiohttp
from yarl import URL

from app.core.errors import InvalidInput
from app.definitions.models import RequestRule
from app.sandbox.network import NetworkPolicy, RefusedAddress
from app.sandbox.resolver import guarded_session, peer_problem

MAX_REDIRECTS = 5
USER_AGENT = "Tubestash task definitions"


class FetchFailed(InvalidInput):
    """The page could not be fetched: refused address, timeout, HTTP error, too large."""


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # after redirects: relative links resolve against it
    text: str


class PageFetcher:
    def __init__(self, policy: NetworkPolicy) -> None:
        self._policy = policy

    async def fetch(self, url: str, request: RequestRule, max_bytes: int) -> Page:
        timeout = aiohttp.ClientTimeout(total=request.timeout)
        try:
            async with guarded_session(self._policy, timeout=timeout) as session:
                return await self._follow(session, url, request, max_bytes)
        except TimeoutError:
            raise FetchFailed(f"Fetching {url} took longer than {request.timeout:g} s.") from None
        except aiohttp.ClientError as exc:
            raise FetchFailed(f"Fetching {url} failed: {_reason(exc)}") from None

    async def _follow(
        self, session: aiohttp.ClientSession, url: str, request: RequestRule, max_bytes: int
    ) -> Page:
        method = request.method
        for _ in range(MAX_REDIRECTS + 1):
            self._policy.check_url(url)
            async with session.request(method, url, **_options(request, method)) as response:
                self._check_peer(response)
                if response.status in (301, 302, 303, 307, 308) and "Location" in response.headers:
                    url = str(response.url.join(URL(response.headers["Location"])))
                    method = method if response.status in (307, 308) else "GET"
                    continue
                if response.status >= 400:
                    raise FetchFailed(f"Fetching {url} failed: HTTP {response.status}.")
                body = await _read(response, max_bytes, url)
                return Page(str(response.url), _text(body, response.charset))
        raise FetchFailed(f"Fetching {url} failed: more than {MAX_REDIRECTS} redirects.")

    def _check_peer(self, response: aiohttp.ClientResponse) -> None:
        problem = peer_problem(self._policy, response)
        if problem:
            raise FetchFailed(f"Connection refused: {problem}.")


def _options(request: RequestRule, method: str) -> dict[str, Any]:
    options: dict[str, Any] = {
        "headers": {"User-Agent": USER_AGENT, **request.headers},
        "allow_redirects": False,
    }
    if method == "POST" and request.body:
        options["data"] = request.body.encode()
    return options


async def _read(response: aiohttp.ClientResponse, max_bytes: int, url: str) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.content.iter_chunked(64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise FetchFailed(f"The page at {url} is larger than {max_bytes} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


def _text(body: bytes, charset: str | None) -> str:
    try:
        return body.decode(charset or "utf-8", "replace")
    except LookupError:  # a charset Python does not know
        return body.decode("utf-8", "replace")


def _reason(exc: aiohttp.ClientError) -> str:
    """The refused address's own words when the policy refused it, else aiohttp's."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RefusedAddress):
            return str(cause)
        cause = cause.__cause__ or getattr(cause, "os_error", None)
    return str(exc) or type(exc).__name__
