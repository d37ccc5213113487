"""The library's records, as the native API shows them (the single field lists)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

_ANSWER = ConfigDict(json_schema_serialization_defaults_required=True)


class Stream(BaseModel):
    model_config = _ANSWER

    type: str  # "video" or "audio"
    index: int
    codec: str | None = None
    width: int | None = None
    height: int | None = None
    bitrate: float | None = None


class Subtitle(BaseModel):
    model_config = _ANSWER

    lang: str
    ext: str | None = None
    name: str | None = None
    automatic: bool = False
    file: str | None = None  # relative to the download path


class Video(BaseModel):
    """One video in the library; ``video_id`` is the extractor's id."""

    model_config = _ANSWER

    video_id: str
    extractor: str | None = None
    item_id: str | None = None  # the history item it came from
    title: str = ""
    description: str = ""
    channel_id: str | None = None
    channel_name: str | None = None
    playlist_ids: list[str] = Field(default_factory=list)
    published: str | None = None  # YYYY-MM-DD
    downloaded: str = ""  # ISO 8601, UTC
    last_refresh: str = ""  # ISO 8601, UTC: when it was last read again (a refresh)
    duration: float | None = None
    tags: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    view_count: int | None = None
    like_count: int | None = None
    dislike_count: int | None = None
    comment_count: int | None = None
    average_rating: float | None = None
    thumbnail: str | None = None  # the site's image URL
    webpage_url: str | None = None
    file: str | None = None  # relative to the download path
    file_size: int | None = None
    width: int | None = None
    height: int | None = None
    streams: list[Stream] = Field(default_factory=list)
    subtitles: list[Subtitle] = Field(default_factory=list)
    has_comments: bool = False


class Channel(BaseModel):
    model_config = _ANSWER

    channel_id: str
    name: str = ""
    description: str = ""
    url: str | None = None
    thumbnail: str | None = None
    banner: str | None = None
    follower_count: int | None = None
    subscribed: bool = False
    last_refresh: str = ""  # ISO 8601
    added: str = ""


class Playlist(BaseModel):
    model_config = _ANSWER

    playlist_id: str
    title: str = ""
    description: str = ""
    channel_id: str | None = None
    channel_name: str | None = None
    url: str | None = None
    thumbnail: str | None = None
    subscribed: bool = False
    last_refresh: str = ""
    added: str = ""


class Comment(BaseModel):
    model_config = ConfigDict(extra="ignore", json_schema_serialization_defaults_required=True)

    id: str | None = None
    text: str = ""
    author: str | None = None
    author_id: str | None = None
    author_thumbnail: str | None = None
    timestamp: int | None = None
    like_count: int | None = None
    is_favorited: bool = False
    author_is_uploader: bool = False
    parent: str | None = None


class Progress(BaseModel):
    """Where one user is in one video."""

    model_config = _ANSWER

    video_id: str
    user_id: int
    position: float = 0.0
    watched: bool = False


class SearchHit(BaseModel):
    model_config = _ANSWER

    video: Video
    rank: float
    snippet: str


class IndexStatus(BaseModel):
    """The indexing of existing history: a background job with progress."""

    model_config = _ANSWER

    running: bool
    done: int
    total: int
    indexed: bool  # existing history has been indexed once
