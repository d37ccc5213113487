"""Fetches one remote image under the same address policy as downloads.

Every hop is checked three times, as task definitions do (``app.definitions.fetching``): a
numeric or ``localhost`` host before connecting, each address DNS gives before it is used
(the session's resolver), and the address the socket actually reached. Redirects are
followed here, one hop at a time, so each new host goes through the same checks. The body
is read up to a size cap, and the whole chain of hops runs within one timeout.
"""

from __future__ import annotations

import asyncio

import aiohttp
from yarl import URL

from app.core.errors import AppError, Forbidden, InvalidInput, TooLarge
from app.sandbox.network import NetworkPolicy, RefusedAddress
from app.sandbox.resolver import guarded_session, peer_problem
from app.thumbnails.images import Image, as_image, check_declared

MAX_REDIRECTS = 5
MAX_URL_LENGTH = 4096
USER_AGENT = "Tubestash thumbnails"
ACCEPT = "image/avif,image/webp,image/png,image/jpeg,image/gif;q=0.9,*/*;q=0.5"
REDIRECTS = (301, 302, 303, 307, 308)


class UpstreamFailed(AppError):
    status = 502


class UpstreamTimeout(AppError):
    status = 504


def parse_url(text: str | None) -> URL:
    """An absolute http(s) URL with a host; anything else is a 400."""
    if not text:
        raise InvalidInput("url param is required.")
    if len(text) > MAX_URL_LENGTH or any(ord(c) < 0x21 or c == "\x7f" for c in text):
        raise InvalidInput("url is not a valid URL.")
    try:
        url = URL(text)
        host, _ = url.host, url.port  # yarl checks these lazily (IDNA, port range)
    except ValueError:  # UnicodeError too
        raise InvalidInput("url is not a valid URL.") from None
    if url.scheme not in ("http", "https") or not host:
        raise InvalidInput("url must be an http:// or https:// URL.")
    return url


class ImageFetcher:
    """One long-lived guarded session; ``open`` and ``close`` pair at start-up and shutdown."""

    def __init__(self, policy: NetworkPolicy, *, max_bytes: int, timeout: float) -> None:
        self._policy = policy
        self._max_bytes = max_bytes
        self._timeout = timeout
        self._session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self._session = guarded_session(self._policy, limit=16)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    def check_url(self, url: URL) -> None:
        """A numeric or ``localhost`` host the policy refuses is a 403, before any I/O."""
        try:
            self._policy.check_url(str(url))
        except InvalidInput as exc:
            raise Forbidden(exc.message) from None

    async def fetch(self, url: URL) -> Image:
        assert self._session is not None, "open() first"
        try:
            async with asyncio.timeout(self._timeout):
                return await self._follow(self._session, url)
        except TimeoutError:
            raise UpstreamTimeout(f"{url} did not answer within {self._timeout:g} s.") from None
        except RefusedAddress as exc:
            raise Forbidden(str(exc)) from None
        except aiohttp.ClientError as exc:
            refused = _refusal(exc)
            if refused is not None:
                raise Forbidden(str(refused)) from None
            raise UpstreamFailed(f"Fetching {url} failed: {exc or type(exc).__name__}") from None

    async def _follow(self, session: aiohttp.ClientSession, url: URL) -> Image:
        for _ in range(MAX_REDIRECTS + 1):
            self.check_url(url)
            headers = {"User-Agent": USER_AGENT, "Accept": ACCEPT}
            async with session.get(url, headers=headers, allow_redirects=False) as response:
                self._check_peer(response)
                location = response.headers.get("Location")
                if response.status in REDIRECTS and location:
                    url = _next_hop(response.url, location)
                    continue
                if response.status >= 400:
                    raise UpstreamFailed(f"{url} answered HTTP {response.status}.")
                check_declared(response.headers.get("Content-Type", ""), str(url))
                return as_image(await self._read(response, url), str(url))
        raise UpstreamFailed(f"{url}: more than {MAX_REDIRECTS} redirects.")

    def _check_peer(self, response: aiohttp.ClientResponse) -> None:
        problem = peer_problem(self._policy, response)
        if problem:
            raise Forbidden(f"Connection refused: {problem}.")

    async def _read(self, response: aiohttp.ClientResponse, url: URL) -> bytes:
        limit = self._max_bytes
        if response.content_length is not None and response.content_length > limit:
            raise TooLarge(f"{url} is larger than {limit} bytes.")
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            size += len(chunk)
            if size > limit:
                raise TooLarge(f"{url} is larger than {limit} bytes.")
            chunks.append(chunk)
        return b"".join(chunks)


def _next_hop(current: URL, location: str) -> URL:
    try:
        target = current.join(URL(location))
        host, _ = target.host, target.port
    except ValueError:
        raise UpstreamFailed(f"{current} redirected to an invalid URL.") from None
    if target.scheme not in ("http", "https") or not host:
        raise UpstreamFailed(f"{current} redirected to a URL that is not http(s).")
    return target


def _refusal(exc: BaseException) -> RefusedAddress | None:
    """The policy's refusal inside an aiohttp error, if that is what it was."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, RefusedAddress):
            return cause
        cause = cause.__cause__ or getattr(cause, "os_error", None)
    return None
