"""Shapes of the library API's queries, bodies and answers, for its OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from app.core.openapi import PageQuery, Pagination, page_model
from app.library.models import Channel, Playlist, SearchHit, Video

MAX_QUERY = 500


class VideoQuery(PageQuery):
    sort: Literal["downloaded", "published"] = "downloaded"
    channel_id: str | SkipJsonSchema[None] = Field(default=None, max_length=512)
    playlist_id: str | SkipJsonSchema[None] = Field(default=None, max_length=512)
    # The video of this file (relative to the download folder), as the Files page's Play
    # asks: a player records progress only for a library video. No length of its own: a
    # path may be long, and the server's 8 KiB request line bounds it (as it bounds the
    # file paths in the file API's URLs).
    file: str | SkipJsonSchema[None] = Field(default=None, min_length=1)


class SearchQuery(PageQuery):
    q: str = Field(min_length=1, max_length=MAX_QUERY)


class SearchAnswer(BaseModel):
    """Hits best first; ``suggestions`` are respelt queries when a word is not indexed."""

    pagination: Pagination
    items: list[SearchHit]
    suggestions: list[str]


class ProgressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    position: float = Field(ge=0, le=10_000_000)
    watched: bool | SkipJsonSchema[None] = None


VideoPage = page_model("LibraryVideoPage", Video)
ChannelPage = page_model("LibraryChannelPage", Channel)
PlaylistPage = page_model("LibraryPlaylistPage", Playlist)
