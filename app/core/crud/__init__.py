"""A small CRUD kit: the shared shape of stored, editable lists (presets, conditions,
download fields; tasks and notifications next).

``CrudStore`` builds its SQL from a pydantic model's fields, ``CrudService`` keeps the
in-memory copy and announces changes, ``CrudRoutes`` answers the seed's list, get, create,
patch, replace and delete. A feature subclasses the service for its own rules and lists
the handlers it wants in its own ``setup()``. The kit imports nothing outside ``app.core``.
"""

from app.core.crud.model import CrudModel
from app.core.crud.routes import CrudRoutes
from app.core.crud.service import CrudService
from app.core.crud.store import CrudStore

__all__ = ["CrudModel", "CrudRoutes", "CrudService", "CrudStore"]
