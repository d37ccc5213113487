"""The server's own requests to notification targets obey the downloads' address policy.

A webhook's host is checked where it matters, on the address connected to: the session's
resolver refuses a name that resolves to a refused address, and aiohttp skips resolvers
for numeric hosts, so those are checked before the request (``NetworkPolicy.check_url``).
Redirects are not followed: a 3xx could point anywhere. apprise opens its own
connections, so the host of a URL that names its destination (``json://host/``) is
resolved and checked in apprise's thread, just before apprise connects.
"""

from __future__ import annotations

import socket
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from app.sandbox.network import NetworkPolicy

# apprise schemes whose URL host is the server apprise connects to.
HOST_SCHEMES = frozenset(
    f"{base}{tls}"
    for base in ("json", "form", "xml", "ntfy", "gotify", "apprise", "mqtt", "ncloud", "rocket")
    for tls in ("", "s")
)


class PolicyResolver(AbstractResolver):
    """Resolves as aiohttp would, then refuses when any answer is a refused address."""

    def __init__(self, policy: NetworkPolicy) -> None:
        self._policy = policy
        self._inner = DefaultResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        for entry in found:
            self._policy.check_address(entry["host"])
        return found

    async def close(self) -> None:
        await self._inner.close()


def client_session(policy: NetworkPolicy, **options: Any) -> aiohttp.ClientSession:
    connector = aiohttp.TCPConnector(resolver=PolicyResolver(policy), limit=32)
    return aiohttp.ClientSession(connector=connector, trust_env=False, **options)


def check_apprise_url(policy: NetworkPolicy, url: str) -> None:
    """Blocking (DNS): call from apprise's thread. Refuses a refused destination host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in HOST_SCHEMES or not parts.hostname:
        return
    if not policy.allow_internal:
        policy.check_url(f"http://{parts.netloc}/")
    policy.check_host(parts.hostname)
