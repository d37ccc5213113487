"""The compatibility layers this server serves: each layer's issue adds its declaration."""

from __future__ import annotations

from app.compat.layer import Layer

LAYERS: tuple[Layer, ...] = ()
