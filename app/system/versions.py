"""Installed versions: this service's and yt-dlp's, and its dependencies' (for /api/dev/pip)."""

from __future__ import annotations

import functools
import importlib.metadata

from packaging.requirements import InvalidRequirement, Requirement

import app as app_package

PACKAGE = "tubestash"


def app_version() -> str:
    return app_package.__version__


@functools.cache
def ytdlp_version() -> str:
    # Package metadata is read from disk: once per process, not once per request.
    return importlib.metadata.version("yt-dlp")


def dependency_versions() -> dict[str, str | None]:
    """Each declared dependency and its installed version (None: not installed).

    Reads package metadata from disk: run it off the loop.
    """
    try:
        declared = importlib.metadata.requires(PACKAGE) or []
    except importlib.metadata.PackageNotFoundError:
        declared = []
    names = []
    for text in declared:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        if requirement.marker is None:  # extras ("dev") are not what the server runs on
            names.append(requirement.name)
    return {name: _installed(name) for name in sorted(set(names), key=str.lower)}


def _installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None
