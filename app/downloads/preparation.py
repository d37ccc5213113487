"""Turns an add request into a validated item and its YoutubeDL parameters."""

from __future__ import annotations

import copy
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
        # (preset cli, item cli, allow_unsafe) -> build_params' answer for them, but for
        # its paths and default template, which are the placement's (see ``_params``).
        self._shapes: dict[tuple[str, str, bool], dict[str, Any]] = {}
        self._parses: dict[tuple[str, bool], ParsedCli] = {}

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
        parsed = self._parse(request.cli, allow) if request.cli else None
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
        params = self._params(place, self._temp_dir(item), preset.cli, request.cli, allow)
        if preset.nfo:
            params[NFO_PARAM] = preset.nfo
        if preset.download_archive and not item.options.get("ignore_archive"):
            # The server names this path itself, so the option policy's refusal of absolute
            # archive paths (meant for paths from requests) does not apply.
            archive = self._settings.config_path / "archives" / preset.download_archive
            params["download_archive"] = str(archive)
        return Prepared(request, place, params, item)

    def _parse(self, cli: str, allow: bool) -> ParsedCli:
        """A command line's parse, kept: the result depends on the text alone (yt-dlp
        reads no config file for a given argument list). Only the placement reads it,
        never changing it; a refusal raises, and is not kept."""
        found = self._parses.get((cli, allow))
        if found is None:
            found = parse_cli(cli, allow_unsafe=allow)
            if len(self._parses) >= _KEPT:
                del self._parses[next(iter(self._parses))]  # the oldest
            self._parses[(cli, allow)] = found
        return found

    def _params(
        self, place: Placement, temp_dir: Path, preset_cli: str, item_cli: str, allow: bool
    ) -> dict[str, Any]:
        """``build_params``'s answer, its option parsing done once per pair of command
        lines: yt-dlp builds its whole option parser for each parse (~5 ms of CPU, on the
        loop, for every add and every start of a batch). What differs from one item to the
        next is set here as ``build_params`` sets it: the placement's folder and template
        and the item's temp folder. Options that name a file (``--download-archive``,
        resolved under the archives' folder) are built afresh each time."""
        key = (preset_cli, item_cli, allow)
        shape = self._shapes.get(key)
        if shape is None:
            params = build_params(
                placement=place,
                temp_dir=temp_dir,
                preset_cli=preset_cli,
                item_cli=item_cli,
                allow_unsafe=allow,
                archives=self._settings.config_path / "archives",
            )
            if "download_archive" not in params:
                if len(self._shapes) >= _KEPT:
                    del self._shapes[next(iter(self._shapes))]  # the oldest
                self._shapes[key] = copy.deepcopy(params)
            return params
        params = copy.deepcopy(shape)
        params["paths"] = {"home": str(place.root), "temp": str(temp_dir)}
        params["outtmpl"] = {**params.get("outtmpl", {}), "default": place.template}
        return params


_KEPT = 256  # command lines (and pairs of them) whose parse is kept


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
