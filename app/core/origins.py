"""Where a browser request comes from: the server's own origin, an allowed one, or a foreign one.

Browsers say it in two headers a page cannot set: ``Sec-Fetch-Site`` (every current browser)
and ``Origin`` (every cross-origin request, and every POST/PUT/PATCH/DELETE). Scripts and
command-line clients send neither, and are not pages that could be tricked.

Allowed origins are the server's own (an ``Origin`` whose host and port are the ``Host``
the client asked for; http or https alike, so a proxy that terminates TLS changes nothing),
browser extensions, and ``YTP_CORS_ORIGINS``. A page can never vouch for itself: ``null``
and every other origin are foreign.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv6Address, ip_address

from aiohttp import web

from app.core.proxies import from_trusted_proxy
from app.settings import Network, Settings

EXTENSION_SCHEMES = ("chrome-extension", "moz-extension", "safari-web-extension")
DEFAULT_PORTS = {"http": 80, "https": 443}
SAME_ORIGIN_SITES = ("same-origin", "none")  # "none": the user typed or bookmarked the URL

HostPort = tuple[str, int]


# What browsers put in Host and Origin: a name (IDNs already punycode) or an IPv4 address,
# or an IPv6 address in brackets, then an optional port. Anything else is nobody's host.
_NETLOC = re.compile(r"(?P<host>[a-z0-9_.-]+|\[[0-9a-f:.]+\])(?::(?P<port>[0-9]{1,5}))?")


def _host_port(netloc: str, scheme: str) -> HostPort | None:
    """``host[:port]`` as (lower-case host, port); None when it is not a plain host."""
    match = _NETLOC.fullmatch(netloc.lower())
    if match is None:
        return None
    host, port = match["host"], match["port"]
    if host.startswith("[") and not isinstance(_ip(host), IPv6Address):
        return None
    number = int(port) if port else DEFAULT_PORTS.get(scheme, 0)
    if not 0 < number <= 65535 or not host.rstrip("."):
        return None
    return host.rstrip("."), number


def parse_origin(origin: str) -> tuple[str, HostPort] | None:
    """``scheme://host[:port]`` as (scheme, (host, port)); None for anything else."""
    scheme, sep, netloc = origin.lower().partition("://")
    if not sep or scheme not in DEFAULT_PORTS:
        return None
    host = _host_port(netloc, scheme)
    return (scheme, host) if host else None


def canonical_origin(origin: str) -> str | None:
    """One spelling per origin (default port written out), for comparing with a list."""
    parsed = parse_origin(origin)
    if parsed is None:
        return None
    scheme, (host, port) = parsed
    return f"{scheme}://{host}:{port}"


def is_extension(origin: str) -> bool:
    scheme, sep, rest = origin.lower().partition("://")
    return bool(sep) and scheme in EXTENSION_SCHEMES and bool(rest) and "/" not in rest


def _ip(host: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(host.strip("[]"))
    except ValueError:
        return None


def is_loopback_name(host: str) -> bool:
    """localhost, ``*.localhost`` (browsers resolve both to loopback), 127.0.0.0/8, ::1."""
    host = host.lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _ip(host)
    return address is not None and address.is_loopback


@dataclass(frozen=True, slots=True)
class OriginPolicy:
    listed: frozenset[str]  # YTP_CORS_ORIGINS, canonical
    allowed_hosts: frozenset[str]  # YTP_ALLOWED_HOSTS: names, or name:port
    trusted_proxies: tuple[Network, ...]
    check_host: bool

    @classmethod
    def of(cls, settings: Settings) -> OriginPolicy:
        listed = {canonical_origin(origin) for origin in settings.cors_origins}
        bound_to_loopback = is_loopback_name(settings.host.strip("[]"))
        return cls(
            listed=frozenset(origin for origin in listed if origin),
            allowed_hosts=frozenset(settings.allowed_hosts),
            trusted_proxies=settings.trusted_proxies,
            # DNS rebinding: a page on attacker.example, re-pointed at 127.0.0.1, is
            # same-origin with whatever answers there. Credentials stop it (the browser has
            # none for that name); without them, the Host name is all that tells.
            check_host=bool(settings.allowed_hosts)
            or (bound_to_loopback and not settings.auth_enabled),
        )

    # -- Host ---------------------------------------------------------------------------------

    def host_allowed(self, request: web.Request) -> bool:
        """False for a ``Host`` a rebinding page could have sent (see ``check_host``)."""
        raw = request.headers.get("Host")
        if not self.check_host or raw is None:
            return True  # HTTP/1.0 scripts may send none; every browser does
        parsed = _host_port(raw.strip(), request.scheme)
        if parsed is None:
            return False
        host, port = parsed
        # An IP literal cannot be rebound: the browser went where the address says.
        if is_loopback_name(host) or _ip(host) is not None:
            return True
        return host in self.allowed_hosts or f"{host}:{port}" in self.allowed_hosts

    # -- Origin ---------------------------------------------------------------------------------

    def _own_hosts(self, request: web.Request) -> set[HostPort]:
        hosts = set()
        names = [request.headers.get("Host", "")]
        if from_trusted_proxy(request, self.trusted_proxies):
            names.append(request.headers.get("X-Forwarded-Host", "").split(",")[0])
        for name in names:
            for scheme in DEFAULT_PORTS:
                parsed = _host_port(name.strip(), scheme)
                if parsed:
                    hosts.add(parsed)
        return hosts

    def is_own(self, origin: str, request: web.Request) -> bool:
        parsed = parse_origin(origin)
        return parsed is not None and parsed[1] in self._own_hosts(request)

    def is_listed(self, origin: str) -> bool:
        """An extension or ``YTP_CORS_ORIGINS``: trusted from anywhere."""
        if is_extension(origin):
            return True
        return canonical_origin(origin) in self.listed

    def is_allowed(self, origin: str, request: web.Request) -> bool:
        return self.is_listed(origin) or self.is_own(origin, request)

    def from_own_origin(self, request: web.Request) -> bool:
        """The browser vouches the request comes from the server's own pages, or no page."""
        site = request.headers.get("Sec-Fetch-Site")
        if site is not None:
            # Computed by the browser over the whole redirect chain; a proxy that rewrites
            # Host does not confuse it.
            return site.lower() in SAME_ORIGIN_SITES
        origin = request.headers.get("Origin")
        return origin is None or self.is_own(origin, request)

    def from_allowed_origin(self, request: web.Request) -> bool:
        """From the server's own pages, an allowed origin, or no page at all."""
        if self.from_own_origin(request):
            return True
        origin = request.headers.get("Origin")
        return origin is not None and self.is_listed(origin)
