"""Who the client is behind reverse proxies named in ``YTP_TRUSTED_PROXIES``.

``X-Forwarded-For`` is whatever the client wrote, plus one address per proxy it passed.
Only the entries appended by proxies we trust mean anything, so it is read from the right
and only while the hop that sent it is trusted; anyone else's header is ignored.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

from aiohttp import web

from app.settings import Network

MAX_HOPS = 32  # a longer chain is not a real one; its far end is not believed


def _address(text: str) -> IPv4Address | IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]  # "[::1]:443"
    elif text.count(":") == 1:
        text = text.partition(":")[0]  # "192.0.2.1:443"
    try:
        return ip_address(text)
    except ValueError:
        return None


def _trusted(address: IPv4Address | IPv6Address | None, proxies: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in proxies)


def from_trusted_proxy(request: web.Request, proxies: tuple[Network, ...]) -> bool:
    return bool(proxies) and _trusted(_address(request.remote or ""), proxies)


def client_address(request: web.Request, proxies: tuple[Network, ...]) -> str:
    """The first address, from the right, that is not one of our proxies."""
    peer = request.remote or "unknown"
    if not from_trusted_proxy(request, proxies):
        return peer
    header = ",".join(request.headers.getall("X-Forwarded-For", ()))
    hops = [hop for hop in header.split(",") if hop.strip()][-MAX_HOPS:]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break  # garbage written by the client itself: keep the last proxy's word
        client = str(address)
        if not _trusted(address, proxies):
            break
    return client
