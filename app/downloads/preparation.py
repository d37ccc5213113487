"""Turns an add request into a validated item and its YoutubeDL parameters."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.errors import NotFound
from app.downloads.models import AddRequest, Item
from app.sandbox.network import NetworkPolicy
from app.settings import Settings
from app.ytdlp.options import ParsedCli, parse_cli
from app.ytdlp.params import NFO_PARAM, Placement, PresetSource, build_params, placement


@dataclass(frozen=True, slots=True)
class Prepared:
    """An add request that passed validation: nothing can be refused after this."""

    request: AddRequest
    placement: Placement
    params: dict[str, Any]
    item: Item


class Preparer:
    def __init__(
        self, settings: Settings, presets: PresetSource, temp_dir: Callable[[Item], Path]
    ) -> None:
        self._settings = settings
        self._presets = presets
        self._temp_dir = temp_dir
        self._network = NetworkPolicy.of(settings)

    def prepare(self, request: AddRequest, existing: Item | None = None) -> Prepared:
        """Validates one request fully; raises before anything is stored or started.

        ``existing`` is the item being (re)started: its id names its temp folder, where a
        partial file from an earlier run waits to be resumed.
        """
        self._network.check_url(request.url)
        preset = self._presets.get_preset(request.preset)
        if preset is None:
            raise NotFound(f"Preset '{request.preset}' not found.")
        allow = self._settings.allow_unsafe_options
        parsed = _parsed(request.cli, allow) if request.cli else None
        folder = request.folder or preset.folder
        template = request.template or preset.template
        place = placement(self._settings.download_path, folder, template, parsed)
        item = existing or Item(
            url=request.url,
            preset=preset.name,
            folder=folder,
            template=template,
            cli=request.cli,
            cookies=request.cookies or preset.cookies,
            auto_start=request.auto_start,
        )
        if not request.conditions:
            item.options["no_conditions"] = True
        if request.force:
            item.options["force"] = True
        params = build_params(
            placement=place,
            temp_dir=self._temp_dir(item),
            preset_cli=preset.cli,
            item_cli=request.cli,
            allow_unsafe=allow,
            archives=self._settings.config_path / "archives",
        )
        if preset.nfo:
            params[NFO_PARAM] = preset.nfo
        if preset.download_archive and not item.options.get("ignore_archive"):
            # The server names this path itself, so the option policy's refusal of absolute
            # archive paths (meant for paths from requests) does not apply.
            archive = self._settings.config_path / "archives" / preset.download_archive
            params["download_archive"] = str(archive)
        return Prepared(request, place, params, item)


@functools.lru_cache(maxsize=256)
def _parsed(cli: str, allow_unsafe: bool) -> ParsedCli:
    """A command line's parse, kept: yt-dlp builds its whole option parser for each (~5 ms
    of CPU on the loop, for every add and every start of a batch), and the result depends
    on the text alone (yt-dlp reads no config file for a given argument list). Only the
    placement reads it here, never changing it; a refusal raises, and is not kept."""
    return parse_cli(cli, allow_unsafe=allow_unsafe)


def request_of(item: Item) -> AddRequest:
    """The request that would add this item again (for restarts and changes)."""
    return AddRequest(
        url=item.url,
        preset=item.preset,
        folder=item.folder,
        template=item.template,
        cli=item.cli,
        cookies=item.cookies,
        auto_start=item.auto_start,
        conditions=not item.options.get("no_conditions"),
        force=bool(item.options.get("force")),
    )
