"""The compatibility layers this server serves: each layer's issue adds its declaration.

A table of route tables, so a door itself (``tests/test_layers.py``): it names each
layer's ``routes.setup``, which reach the services through ``app.keys``.
"""

from __future__ import annotations

from app.compat.layer import Layer, detail_body
from app.compat.offlinetube import routes as offlinetube
from app.compat.offlinetube.auth import native_credentials

OFFLINETUBE = Layer(
    name="OfflineTube",
    routes=offlinetube.setup,
    error_body=detail_body,
    auth=native_credentials,
    prefix="/ot",
    port=lambda settings: settings.offlinetube_port,
    public_reads=True,  # the seed's allow_origins=["*"], while auth is on (see Doors)
)

LAYERS: tuple[Layer, ...] = (OFFLINETUBE,)
