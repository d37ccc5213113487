"""The compatibility layers this server serves: each layer's issue adds its declaration.

A table of route tables, so a door itself (``tests/test_layers.py``): it names each
layer's declaration, whose routes reach the services through ``app.keys``.
"""

from __future__ import annotations

from app.compat.layer import Layer
from app.compat.offlinetube.setup import LAYER as OFFLINETUBE
from app.compat.tubearchivist.layer import LAYER as TUBEARCHIVIST
from app.compat.ytdlp_host.setup import LAYER as YTDLP_HOST

LAYERS: tuple[Layer, ...] = (TUBEARCHIVIST, OFFLINETUBE, YTDLP_HOST)
