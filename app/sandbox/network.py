"""Which addresses downloads may reach: public ones, unless the operator allows more.

A URL names a host; what matters is the address a connection actually goes to, after DNS
and after every redirect. Workers check that address where the socket connects
(``app.sandbox.guard``); the server checks numeric hosts up front, for a clear answer.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from app.core.errors import InvalidInput

if TYPE_CHECKING:
    # Only named here: every worker imports this module at its start, and importing the
    # settings (pydantic-settings, the whole model) cost each new worker ~50 ms of CPU.
    from app.settings import Settings

Address = IPv4Address | IPv6Address
Network = IPv4Network | IPv6Network

SETTING_HINT = (
    "set YTP_ALLOW_INTERNAL_URLS=true, or list its network in YTP_ALLOWED_NETWORKS, to allow it"
)


class RefusedAddress(PermissionError):
    """A connection to an internal address; a PermissionError, so yt-dlp reports it."""


@dataclass(frozen=True, slots=True)
class NetworkPolicy:
    allow_internal: bool = False
    allowed: tuple[Network, ...] = ()

    @classmethod
    def of(cls, settings: Settings) -> NetworkPolicy:
        """The policy ``YTP_ALLOW_INTERNAL_URLS`` and ``YTP_ALLOWED_NETWORKS`` set."""
        return cls(settings.allow_internal_urls, settings.allowed_networks)

    def address_problem(self, address: str) -> str | None:
        """Why connecting to ``address`` (numeric) is refused, or None."""
        if self.allow_internal:
            return None
        try:
            ip = _unwrap(ip_address(address.split("%", 1)[0]))
        except ValueError:
            return f"{address!r} is not an address"
        if is_public(ip) or any(ip in network for network in self.allowed):
            return None
        return f"{ip} is an internal address (loopback, private, link-local or reserved); " + (
            SETTING_HINT
        )

    def check_address(self, address: str) -> None:
        problem = self.address_problem(address)
        if problem:
            raise RefusedAddress(f"Connection refused: {problem}.")

    def check_host(self, host: str) -> None:
        """Refuses ``host`` when it is, or resolves (blocking) to, a refused address."""
        if self.allow_internal:
            return
        try:
            ip_address(host.split("%", 1)[0])
        except ValueError:
            addresses = resolve(host)
        else:
            addresses = [host]
        for address in addresses:
            self.check_address(address)

    def check_url(self, url: str) -> None:
        """Refuses a URL whose host is plainly internal, without asking DNS.

        Numeric hosts in any spelling the resolver accepts (``127.1``, ``0x7f.0.0.1``,
        ``2130706433``, ``[::ffff:127.0.0.1]``) and ``localhost`` names are caught here; a
        name that resolves to an internal address is caught by the worker when it connects.
        """
        if self.allow_internal:
            return
        host = (urlsplit(url).hostname or "").rstrip(".").lower()
        if not host:
            return
        if host == "localhost" or host.endswith(".localhost"):
            raise InvalidInput(f"URL refused: {host} is a loopback name; {SETTING_HINT}.")
        for address in _numeric(host):
            problem = self.address_problem(address)
            if problem:
                raise InvalidInput(f"URL refused: {problem}.")


def is_public(ip: Address) -> bool:
    """A unicast address on the public internet, looking inside IPv6 wrappers of IPv4."""
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        return is_public(ip.ipv4_mapped)
    if not ip.is_global or ip.is_multicast:
        return False
    if isinstance(ip, IPv6Address) and ip.sixtofour is not None:
        return is_public(ip.sixtofour)
    return True


def _unwrap(ip: Address) -> Address:
    if isinstance(ip, IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _numeric(host: str) -> list[str]:
    """The addresses a numeric host stands for; [] for a name (no DNS is asked)."""
    try:
        found = socket.getaddrinfo(host, None, flags=socket.AI_NUMERICHOST)
    except (socket.gaierror, UnicodeError, ValueError):
        return []
    return _addresses(found)


def resolve(host: str) -> list[str]:
    try:
        found = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError, ValueError):
        return []  # the connection itself will fail and say so
    return _addresses(found)


def _addresses(found: Iterable[tuple[object, ...]]) -> list[str]:
    return list(dict.fromkeys(str(entry[4][0]) for entry in found))  # type: ignore[index]
