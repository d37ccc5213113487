"""What browsers send, as header sets, for the browser-door tests.

Each sender is the set of headers a real browser puts on a request made by a page of one
kind; tests add the credentials and the body.
"""

from __future__ import annotations

import base64
from typing import Any

from tests.conftest import Client

USERNAME = "admin"
PASSWORD = "s3cret:pass>?"
EVIL = "https://evil.example"


def basic(username: str = USERNAME, password: str = PASSWORD) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()


def port(client: Client) -> int:
    assert client.port is not None
    return client.port


def own_origin(client: Client) -> str:
    return f"http://{client.host}:{client.port}"


def own_senders(client: Client) -> dict[str, dict[str, str]]:
    """The server's own pages, as every kind of browser sends them."""
    own = own_origin(client)
    return {
        "fetch": {"Origin": own, "Sec-Fetch-Site": "same-origin", "Sec-Fetch-Mode": "cors"},
        "old-browser": {"Origin": own},  # before Sec-Fetch-* (Safari < 16.4)
        # A page with Referrer-Policy: no-referrer sends "Origin: null" even to itself.
        "no-referrer": {"Origin": "null", "Sec-Fetch-Site": "same-origin"},
        "script": {},  # curl, requests, yt-dlp-host clients: neither header
    }


def foreign_senders(client: Client) -> dict[str, dict[str, str]]:
    """Pages the server must not obey: other sites, other ports, look-alikes."""
    own_port = port(client)
    form = {"Sec-Fetch-Mode": "navigate", "Sec-Fetch-Dest": "document"}
    return {
        "cross-site-form": {"Origin": EVIL, "Sec-Fetch-Site": "cross-site", **form},
        "cross-site-no-cors": {
            "Origin": "http://attacker.example",
            "Sec-Fetch-Site": "cross-site",
            "Sec-Fetch-Mode": "no-cors",
        },
        "old-browser": {"Origin": EVIL},
        "null-origin": {"Origin": "null", "Sec-Fetch-Site": "cross-site", **form},
        "null-old-browser": {"Origin": "null"},  # sandboxed frame, file://, a redirect
        "other-port": {"Origin": f"http://127.0.0.1:{own_port + 1}", "Sec-Fetch-Site": "same-site"},
        "localhost-page": {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site"},
        "evil-localhost": {"Origin": "http://evil.localhost.attacker.example"},
        "prefix-of-own": {"Origin": f"http://127.0.0.1:{own_port}.evil.example"},
        "userinfo": {"Origin": f"http://127.0.0.1:{own_port}@evil.example"},
        "own-with-path": {"Origin": f"http://127.0.0.1:{own_port}/x"},
        "no-origin-cross-site": {"Sec-Fetch-Site": "cross-site", **form},
        "extension-lookalike": {"Origin": "http://chrome-extension.evil.example"},
    }


FORM_BODIES: dict[str, dict[str, Any]] = {
    "empty": {},
    "urlencoded": {
        "data": "url=http%3A%2F%2Fx.example%2F",
        "headers": {"Content-Type": "application/x-www-form-urlencoded"},
    },
    "text-plain-json": {  # <form enctype=text/plain> can send JSON-looking text
        "data": '{"url": "http://x.example/", "name": "x", "cli": ""}',
        "headers": {"Content-Type": "text/plain"},
    },
    "multipart": {
        "data": '--b\r\nContent-Disposition: form-data; name="url"\r\n\r\nhttp://x.example/\r\n--b--\r\n',
        "headers": {"Content-Type": "multipart/form-data; boundary=b"},
    },
}


def request_args(body: str, headers: dict[str, str]) -> dict[str, Any]:
    spec = FORM_BODIES[body]
    return {"data": spec.get("data"), "headers": {**spec.get("headers", {}), **headers}}
