"""The server's own requests to notification targets obey the downloads' address policy.

A webhook's host is checked where it matters, on the address connected to: the session's
resolver refuses a name that resolves to a refused address, and aiohttp skips resolvers
for numeric hosts, so those are checked before the request (``NetworkPolicy.check_url``).
Redirects are not followed: a 3xx could point anywhere. apprise opens its own
connections, so the host of a URL that names its destination (``json://host/``) is
resolved and checked in apprise's thread, just before apprise connects.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import aiohttp

from app.sandbox.network import NetworkPolicy
from app.sandbox.resolver import guarded_session

# apprise schemes whose URL host is the server apprise connects to.
HOST_SCHEMES = frozenset(
    f"{base}{tls}"
    for base in ("json", "form", "xml", "ntfy", "gotify", "apprise", "mqtt", "ncloud", "rocket")
    for tls in ("", "s")
)


def client_session(policy: NetworkPolicy, **options: Any) -> aiohttp.ClientSession:
    return guarded_session(policy, limit=32, **options)


def check_apprise_url(policy: NetworkPolicy, url: str) -> None:
    """Blocking (DNS): call from apprise's thread. Refuses a refused destination host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in HOST_SCHEMES or not parts.hostname:
        return
    if not policy.allow_internal:
        policy.check_url(f"http://{parts.netloc}/")
    policy.check_host(parts.hostname)
