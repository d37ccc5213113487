"""A task definition's fields, declared once: the store's columns, the API's bodies and the
OpenAPI document all come from these models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.crud import CrudModel

MiB = 1 << 20
_TOKEN = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UrlPattern(_Strict):
    """Which task URLs use the definition: exactly one of a glob (``*`` any text, ``?`` one
    character, the whole URL) or an RE2 regular expression (searched; anchor it yourself)."""

    glob: str = Field(default="", max_length=2000)
    regex: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one(self) -> UrlPattern:
        if bool(self.glob) == bool(self.regex):
            raise ValueError("give exactly one of glob or regex")
        return self


class FieldRule(_Strict):
    """How one value is read from an item. ``expression``: a CSS selector inside the item
    (html) or a JMESPath expression on it (json); empty is the item itself. ``attribute``
    (html): the attribute to read; empty is the element's text. ``regex``: keeps the first
    group (or the whole match) of this RE2 pattern; no match is no value."""

    expression: str = Field(default="", max_length=1000)
    attribute: str = Field(default="", max_length=100)
    regex: str = Field(default="", max_length=1000)


class ItemsRule(_Strict):
    """``selector`` picks the items: a CSS selector (html), or a JMESPath expression that
    gives a list (json). Each item's ``url`` is resolved against the page's URL."""

    selector: str = Field(min_length=1, max_length=1000)
    url: FieldRule
    title: FieldRule | None = None
    id: FieldRule | None = None
    archive_prefix: str = Field(default="", max_length=100)


class ParseRule(_Strict):
    url: UrlPattern
    items: ItemsRule


class EngineRule(_Strict):
    type: Literal["html", "json"] = "html"


class RequestRule(_Strict):
    """``url`` (optional) is fetched instead of the task's URL; ``{name}`` in it is the named
    group of the same name in ``parse.url.regex``."""

    url: str = Field(default="", max_length=2000)
    method: Literal["GET", "POST"] = "GET"
    headers: dict[str, str] = Field(default_factory=dict, max_length=32)
    body: str = Field(default="", max_length=65536)
    timeout: float = Field(default=15.0, gt=0, le=60)

    @field_validator("headers")
    @classmethod
    def _headers(cls, headers: dict[str, str]) -> dict[str, str]:
        for name, value in headers.items():
            if not name or not set(name) <= _TOKEN or len(name) > 100:
                raise ValueError(f"{name!r} is not a header name")
            if any(c in value for c in "\r\n\0") or len(value) > 4000:
                raise ValueError(f"the value of {name} may not hold line breaks")
        return headers


class ResponseRule(_Strict):
    max_bytes: int = Field(default=2 * MiB, ge=1024, le=10 * MiB)


class Definition(_Strict):
    parse: ParseRule
    engine: EngineRule = Field(default_factory=EngineRule)
    request: RequestRule = Field(default_factory=RequestRule)
    response: ResponseRule = Field(default_factory=ResponseRule)


class DefinitionFields(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)
    enabled: bool = True
    definition: Definition

    @field_validator("name", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else value


class DefinitionModel(DefinitionFields, CrudModel):
    """A stored task definition (it holds no secrets: lists may show it whole)."""
