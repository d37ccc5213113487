"""The server's own HTTP requests (task definitions, notifications, thumbnails) under the
address policy.

aiohttp asks its resolver for every host it connects to, on every hop; this one refuses a
name whose answers include a refused address before any connection is made. aiohttp skips
the resolver for numeric hosts, so callers check those first (``NetworkPolicy.check_url``).
"""

from __future__ import annotations

import socket
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

from app.sandbox.network import NetworkPolicy


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


def guarded_session(
    policy: NetworkPolicy, *, limit: int = 100, **options: Any
) -> aiohttp.ClientSession:
    """A client session whose every connection goes through the policy's resolver."""
    connector = aiohttp.TCPConnector(resolver=PolicyResolver(policy), limit=limit)
    return aiohttp.ClientSession(connector=connector, trust_env=False, **options)


def peer_problem(policy: NetworkPolicy, response: aiohttp.ClientResponse) -> str | None:
    """Why the address the socket reached is refused (whatever DNS said when it was asked),
    or None; each caller refuses in its own error."""
    connection = response.connection
    transport = connection.transport if connection is not None else None
    peer = transport.get_extra_info("peername") if transport is not None else None
    return policy.address_problem(str(peer[0])) if peer else None
