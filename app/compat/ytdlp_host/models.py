"""The request bodies of yt-dlp-host's task calls, and the yt-dlp options each one means."""

from __future__ import annotations

import shlex
from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.downloads.models import check_web_url

Format = Annotated[str, Field(min_length=1, max_length=512, pattern=r"^[^\s\x00-\x1f]+$")]
Seconds = Annotated[float, Field(ge=0, le=7 * 24 * 3600)]
VideoContainer = Literal["mp4", "mkv", "webm", "mov", "avi", "flv"]
AudioCodec = Literal["mp3", "m4a", "aac", "opus", "vorbis", "flac", "wav", "alac", "best"]


class TaskType(StrEnum):
    GET_VIDEO = "get_video"
    GET_AUDIO = "get_audio"
    GET_LIVE_VIDEO = "get_live_video"
    GET_LIVE_AUDIO = "get_live_audio"
    GET_INFO = "get_info"


class TaskBody(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    url: str = Field(min_length=1, max_length=8192)

    @field_validator("url")
    @classmethod
    def _web_url(cls, value: str) -> str:
        return check_web_url(value)

    def options(self) -> list[str]:
        return []

    @property
    def stem(self) -> str:
        """The file name (without extension) the task writes."""
        return "video"


class _Clip(TaskBody):
    start_time: Seconds | None = None
    end_time: Seconds | None = None
    force_keyframes: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        start, end = self.start_time, self.end_time
        if start is not None and end is not None and end <= start:
            raise ValueError("end_time must be after start_time")
        return self

    def clip(self) -> list[str]:
        if self.start_time is None and self.end_time is None:
            return []
        start = self.start_time or 0
        end = "inf" if self.end_time is None else f"{self.end_time:g}"
        section = ["--download-sections", f"*{start:g}-{end}"]
        return section + (["--force-keyframes-at-cuts"] if self.force_keyframes else [])


class VideoTask(_Clip):
    video_format: Format = "bestvideo"
    audio_format: Format = "bestaudio"
    output_format: VideoContainer = "mp4"

    def options(self) -> list[str]:
        # A site without separate streams has only combined formats: then the best one.
        chosen = f"{self.video_format}+{self.audio_format}/best"
        merge = ["--merge-output-format", self.output_format, "--remux-video", self.output_format]
        return ["-f", chosen, *merge, *self.clip()]


class AudioTask(_Clip):
    audio_format: Format = "bestaudio"
    output_format: AudioCodec | None = None

    @property
    def stem(self) -> str:
        return "audio"

    def options(self) -> list[str]:
        codec = ["--audio-format", self.output_format] if self.output_format else []
        return ["-f", f"{self.audio_format}/best", "-x", *codec, *self.clip()]


class _Live(TaskBody):
    start: Seconds = 0
    duration: Annotated[float, Field(gt=0, le=24 * 3600)]

    def section(self) -> list[str]:
        return ["--download-sections", f"*{self.start:g}-{self.start + self.duration:g}"]


class LiveVideoTask(_Live):
    video_format: Format = "bestvideo"
    audio_format: Format = "bestaudio"
    output_format: VideoContainer = "mp4"

    def options(self) -> list[str]:
        chosen = f"{self.video_format}+{self.audio_format}/best"
        return ["-f", chosen, "--merge-output-format", self.output_format, *self.section()]


class LiveAudioTask(_Live):
    audio_format: Format = "bestaudio"
    output_format: AudioCodec | None = None

    @property
    def stem(self) -> str:
        return "audio"

    def options(self) -> list[str]:
        codec = ["--audio-format", self.output_format] if self.output_format else []
        return ["-f", f"{self.audio_format}/best", "-x", *codec, *self.section()]


class InfoTask(TaskBody):
    @property
    def stem(self) -> str:
        return "info"

    def options(self) -> list[str]:
        return ["--skip-download", "--write-info-json"]


TASKS: dict[TaskType, type[TaskBody]] = {
    TaskType.GET_VIDEO: VideoTask,
    TaskType.GET_AUDIO: AudioTask,
    TaskType.GET_LIVE_VIDEO: LiveVideoTask,
    TaskType.GET_LIVE_AUDIO: LiveAudioTask,
    TaskType.GET_INFO: InfoTask,
}


def command_line(task: TaskBody) -> str:
    """The task's options as the ``cli`` of an item: quoted, so a format is one argument."""
    return shlex.join(task.options())


class KeyRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1, max_length=64)
    permissions: list[str] = Field(max_length=32)


class PermissionsRequest(BaseModel):
    model_config = ConfigDict(extra="ignore")

    permissions: list[str] = Field(max_length=32)
