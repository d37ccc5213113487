"""Shapes of the file API, for its OpenAPI document (``routes.py`` declares them)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.openapi import PageQuery, Pagination


class FileBrowseQuery(PageQuery):
    sort_by: Literal["name", "size", "date", "type"] = "name"
    sort_order: Literal["asc", "desc"] = "asc"
    search: str = Field(default="", max_length=255, description="In names, any case")


class FileEntry(BaseModel):
    type: Literal["file", "dir"]
    content_type: Literal[
        "video", "subtitle", "audio", "image", "text", "metadata", "dir", "download"
    ]
    name: str
    path: str = Field(description="From the download root, with a leading /")
    size: int
    mime: str
    mtime: str
    ctime: str
    is_dir: bool
    is_file: bool
    is_symlink: bool


class FileListing(BaseModel):
    path: str = Field(description='The folder from the download root; the root is "/"')
    contents: list[FileEntry]
    pagination: Pagination


class FileProbe(BaseModel):
    """ffprobe's own ``streams`` and ``format``, and the same grouped as YTPTube's UI
    reads them (``metadata`` is ``format``)."""

    model_config = ConfigDict(extra="allow")

    streams: list[dict[str, Any]]
    format: dict[str, Any]
    metadata: dict[str, Any]
    video: list[dict[str, Any]]
    audio: list[dict[str, Any]]
    subtitle: list[dict[str, Any]]
    attachment: list[dict[str, Any]]
    is_video: bool
    is_audio: bool


class FileSubtitleSidecar(BaseModel):
    file: str
    lang: str
    name: str


class FileSidecar(BaseModel):
    file: str


class FileSidecars(BaseModel):
    subtitles: list[FileSubtitleSidecar]
    subtitle: list[FileSubtitleSidecar] = Field(description="The same as subtitles")
    video: list[FileSidecar]
    audio: list[FileSidecar]
    image: list[FileSidecar]
    text: list[FileSidecar]
    metadata: list[FileSidecar]


class FileInfo(BaseModel):
    title: str
    ffprobe: FileProbe
    mimetype: str
    sidecar: FileSidecars


class FileActionRequest(BaseModel):
    action: Literal["rename", "delete", "move", "directory"]
    path: str
    new_name: str | None = None
    new_path: str | None = None
    new_dir: str | None = None


class FileActionResult(BaseModel):
    path: str
    action: str
    ok: bool
    status: bool = Field(description="The same as ok")
    error: str | None
    new_path: str | None = None
    new_dir: str | None = None
    deleted: bool | None = None
    sidecar: bool | None = Field(default=None, description="A sidecar that followed its file")


class FileZipToken(BaseModel):
    token: str
    files: list[str]
