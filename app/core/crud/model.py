"""What every stored record is: an integer id, and the form lists and events show."""

from __future__ import annotations

from pydantic import BaseModel


class CrudModel(BaseModel):
    """A stored record as GET, POST, PATCH and PUT answer it.

    ``summary()`` is the form lists, ``config_update`` events and DELETE answers carry;
    a record with secrets (cookies) overrides it to return a model without them.
    """

    id: int

    def summary(self) -> BaseModel:
        return self
