"""yt-dlp-host's declaration: at the main port's root, its keys, its error body."""

from __future__ import annotations

from app.compat.layer import Layer, error_and_message_body
from app.compat.ytdlp_host.routes import key_auth, routes

LAYER = Layer(
    name="yt-dlp-host",
    routes=routes,
    error_body=error_and_message_body,
    auth=key_auth,
    prefix="/",
)
