"""Conditions as clients send and see them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.conditions.filter import parse_filter
from app.core.crud import CrudModel
from app.core.limits import Int64


class ConditionExtras(BaseModel):
    """What a match does besides adding ``cli``; unknown keys are kept for the UI."""

    model_config = ConfigDict(extra="allow")

    preset: str | None = None  # switch the item to this preset
    skip: bool = False  # do not queue the item
    cookies: str | None = None  # use these cookies for the item
    ignore_archive: bool = False  # download even when the archive has it


class ConditionFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    filter: str = Field(min_length=1)
    cli: str = ""
    extras: ConditionExtras = Field(default_factory=ConditionExtras)
    enabled: bool = True
    priority: Int64 = 0
    description: str = ""

    @field_validator("name", mode="before")
    @classmethod
    def _name(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value

    @field_validator("filter")
    @classmethod
    def _filter(cls, value: str) -> str:
        try:
            parse_filter(value)  # InvalidInput names the position; the middleware answers 400
        except RecursionError:
            raise ValueError("nests too deeply") from None
        return value


class ConditionModel(ConditionFields, CrudModel):
    """A condition as GET, POST, PATCH and PUT answer it (with ``extras.cookies``)."""

    def summary(self) -> ConditionSummary:
        extras = {
            **self.extras.model_dump(exclude={"cookies"}),
            "has_cookies": bool(self.extras.cookies),
        }
        return ConditionSummary.model_construct(
            **self.model_dump(exclude={"extras"}),
            extras=ConditionExtrasSummary.model_construct(**extras),
        )


class ConditionExtrasSummary(ConditionExtras):
    cookies: str | None = Field(default=None, exclude=True)
    has_cookies: bool = False


class ConditionSummary(ConditionModel):
    """A condition as lists, events and DELETE show it: cookies are a secret, so only
    whether they are set."""

    extras: ConditionExtrasSummary = Field(default_factory=ConditionExtrasSummary)
