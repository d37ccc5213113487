"""The compatibility layers this server serves: each layer's issue adds its declaration."""

from __future__ import annotations

from app.compat.layer import Layer
from app.compat.tubearchivist.layer import LAYER as TUBEARCHIVIST

LAYERS: tuple[Layer, ...] = (TUBEARCHIVIST,)
