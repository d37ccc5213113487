"""The project's own documents, shipped with it: served by name from an allow-list, so no
part of a request ever becomes a path."""

from __future__ import annotations

from pathlib import Path

from app.core.errors import NotFound

PROJECT_ROOT = Path(__file__).resolve().parents[2]

# Name -> content type. The names YTPTube's UI links to that this project has, and ours.
DOCS: dict[str, str] = {
    "README.md": "text/markdown",
    "API.md": "text/markdown",
    "FAQ.md": "text/markdown",
    "ARCHITECTURE.md": "text/markdown",
    "CHANGELOG.md": "text/markdown",
}
CACHE_SECONDS = 3600


def doc_path(name: str, root: Path = PROJECT_ROOT) -> tuple[Path, str]:
    """The file for an allowed name and its content type; anything else is ``NotFound``."""
    content_type = DOCS.get(name)
    if content_type is None:
        raise NotFound("Doc file not found.")
    return root / name, content_type
