"""``info.json`` answers: the whole file, the fields a query names, or ``qualities``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

AUDIO_FIELDS = ("abr", "acodec", "audio_channels", "filesize")
VIDEO_FIELDS = ("height", "width", "fps", "vcodec", "format_note", "dynamic_range", "filesize")


def _has(codec: Any) -> bool:
    return isinstance(codec, str) and codec != "none"


def _fields(fmt: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    values = {name: fmt.get(name) for name in names}
    if values.get("filesize") is None and "filesize" in values:
        values["filesize"] = fmt.get("filesize_approx")
    return values


def qualities(info: Mapping[str, Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """The seed's structure: audio-only formats under ``audio``, the rest with video under
    ``video``, each keyed by format id."""
    audio: dict[str, dict[str, Any]] = {}
    video: dict[str, dict[str, Any]] = {}
    formats = info.get("formats")
    for fmt in formats if isinstance(formats, list) else []:
        if not isinstance(fmt, dict) or not isinstance(fmt.get("format_id"), str):
            continue
        if _has(fmt.get("vcodec")) or (fmt.get("height") and not _has(fmt.get("acodec"))):
            video[fmt["format_id"]] = _fields(fmt, VIDEO_FIELDS)
        elif _has(fmt.get("acodec")):
            audio[fmt["format_id"]] = _fields(fmt, AUDIO_FIELDS)
    return {"audio": audio, "video": video}


def answer(info: Mapping[str, Any], asked: Iterable[str]) -> Mapping[str, Any]:
    """What ``GET /files/<id>/info.json?...`` answers for the query's names."""
    names = list(dict.fromkeys(name for name in asked if name))
    if "qualities" in names:
        return {"qualities": qualities(info)}
    if not names:
        return info
    return {name: info[name] for name in names if name in info}
