"""OfflineTube's request and answer shapes, for its OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field


class Detail(BaseModel):
    """Every 4xx/5xx answer (FastAPI's)."""

    detail: str


class Download(BaseModel):
    id: str
    url: str
    title: str
    thumbnail: str = Field(description="/api/thumbnails/{id}")
    status: Literal["pending", "downloading", "processing", "completed", "error", "cancelled"]
    progress: float
    speed: float | None = Field(description="bytes per second")
    eta: int | None = Field(description="seconds")
    filesize: int | None
    downloaded_bytes: int | None
    format_note: str
    is_playlist: bool
    playlist_index: int | None
    playlist_total: int | None
    filename: str | None = Field(description="{title}__{video id}.{ext}, for /api/stream")
    quality: str
    download_type: Literal["video", "audio"]
    error_message: str | None
    created_at: str
    completed_at: str | None


class Result(BaseModel):
    id: str
    title: str
    thumbnail: str | None
    duration: float
    uploader: str
    view_count: int
    url: str


class SearchAnswer(BaseModel):
    results: list[Result]
    query: str


class TrendingAnswer(BaseModel):
    results: list[Result]


class SearchQuery(BaseModel):
    q: str = Field(description="words, or a video URL")
    max_results: int = Field(default=20, ge=1, le=50)


class TrendingQuery(BaseModel):
    max_results: int = Field(default=20, ge=1, le=50)


class ListQuery(BaseModel):
    limit: int = Field(default=100, ge=1, le=1000, description="ended downloads listed")


class Format(BaseModel):
    format_id: str
    ext: str
    resolution: str
    height: int | None
    width: int | None
    fps: float
    filesize: int
    filesize_formatted: str
    vcodec: str
    acodec: str
    has_video: bool
    has_audio: bool
    tbr: float | None
    format_note: str


class Info(Result):
    description: str
    duration_formatted: str
    is_live: bool
    is_playlist: bool
    formats: list[Format]


class InfoRequest(BaseModel):
    url: str


class Done(BaseModel):
    message: str
    id: str


class Removed(Done):
    file_deleted: bool


class Root(BaseModel):
    message: str
    version: str
