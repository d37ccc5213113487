"""YoutubeDL parameters for one item: defaults < preset < the item's own fields."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from app.core.errors import InvalidInput
from app.core.paths import relative_parts, resolve_under
from app.ytdlp.options import ParsedCli, merge_opts, output_template_is_safe, parse_cli

DEFAULT_TEMPLATE = "%(title)s.%(ext)s"

# Options every download gets; a preset or the item's cli may override them.
BASE_OPTS: dict[str, Any] = {
    "continuedl": True,
    "noplaylist": True,
    "windowsfilenames": False,
    "overwrites": None,
    "ignoreerrors": False,
    "retries": 5,
    "fragment_retries": 5,
}


@dataclass(frozen=True, slots=True)
class Preset:
    """What the queue needs to know of a preset."""

    name: str
    folder: str = ""
    template: str = ""
    cli: str = ""
    cookies: str = ""
    download_archive: str = ""  # a file name under <config>/archives
    nfo: str = ""  # "tv" or "movie": write a Kodi NFO beside each finished file


# The child takes this key out of the parameters before yt-dlp sees them.
NFO_PARAM = "tubestash_nfo"


class PresetSource(Protocol):
    def get_preset(self, name: str) -> Preset | None: ...


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an item's file goes: its folder under the download path and its template."""

    root: Path
    template: str


def check_template(template: str) -> str:
    relative_parts(template, "template")
    if not output_template_is_safe(template):
        raise InvalidInput("template could write outside the download path.")
    return template


def placement(
    download_path: Path, folder: str, template: str, parsed: ParsedCli | None = None
) -> Placement:
    """Resolves folder and template; either one leaving the download path is refused."""
    root = resolve_under(download_path, folder, "folder")
    if parsed is not None and parsed.download_path:
        root = resolve_under(root, parsed.download_path, "-P/--paths")
    chosen = template or (parsed.output_template if parsed else None) or DEFAULT_TEMPLATE
    return Placement(root=root, template=check_template(chosen))


def build_params(
    *,
    placement: Placement,
    temp_dir: Path,
    preset_cli: str,
    item_cli: str,
    allow_unsafe: bool,
    archives: Path,
) -> dict[str, Any]:
    preset_opts = parse_cli(preset_cli, allow_unsafe=allow_unsafe).opts if preset_cli else {}
    item_opts = parse_cli(item_cli, allow_unsafe=allow_unsafe).opts if item_cli else {}
    opts = merge_opts(BASE_OPTS, preset_opts, item_opts)
    # Paths and the template are decided by placement(), never by raw options.
    opts["paths"] = {"home": str(placement.root), "temp": str(temp_dir)}
    # Other template kinds (e.g. pl_thumbnail from --embed-thumbnail) are kept.
    opts["outtmpl"] = {**opts.get("outtmpl", {}), "default": placement.template}
    if isinstance(archive := opts.get("download_archive"), str):
        # A worker's working folder is no place for a file that outlives the download.
        path = resolve_under(archives, archive, "--download-archive")
        if path == archives.resolve():
            raise InvalidInput("--download-archive must name a file.")
        opts["download_archive"] = str(path)
    return opts
