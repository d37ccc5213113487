"""The preparer keeps a command line's parse: what it gives for the second item of the
same options is what ``build_params`` gives, with that item's own folder, template and
temp folder; a refusal is refused every time; a file-naming option is built afresh."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.errors import InvalidInput
from app.downloads.models import AddRequest, Item
from app.downloads.preparation import Preparer
from app.ytdlp.params import Preset, build_params
from tests.conftest import make_settings

PRESETS = {
    "default": Preset("default"),
    "audio": Preset("audio", folder="music", cli="-x --audio-format mp3"),
}


class _Presets:
    def get_preset(self, name: str) -> Preset | None:
        return PRESETS.get(name)


def _temp(item: Item) -> Path:
    return Path("/tmp/tubestash-test-temp") / item.uid


@pytest.mark.parametrize(
    ("cli", "preset"),
    [
        ("", "default"),
        ('-f "bestvideo+bestaudio/best" --merge-output-format mp4', "default"),
        ("--embed-thumbnail --write-subs", "audio"),
        ("", "audio"),
    ],
)
def test_the_second_item_gets_what_build_params_gives(
    tmp_path: Path, cli: str, preset: str
) -> None:
    settings = make_settings(tmp_path)
    preparer = Preparer(settings, _Presets(), _temp)
    requests = [
        AddRequest(url="https://example.com/a", cli=cli, preset=preset),
        AddRequest(url="https://example.com/b", cli=cli, preset=preset, folder="x/y"),
        AddRequest(url="https://example.com/c", cli=cli, preset=preset, template="%(id)s.%(ext)s"),
    ]
    for request in requests:
        prepared = preparer.prepare(request)
        expected = build_params(
            placement=prepared.placement,
            temp_dir=_temp(prepared.item),
            preset_cli=PRESETS[preset].cli,
            item_cli=cli,
            allow_unsafe=settings.allow_unsafe_options,
            archives=settings.config_path / "archives",
        )
        assert prepared.params == expected
        assert prepared.params["paths"]["temp"] == str(_temp(prepared.item))
    # Each item's parameters are its own: changing one leaves the next alone.
    first = preparer.prepare(requests[0]).params
    first["format"] = "changed"
    first["paths"]["home"] = "/elsewhere"
    again = preparer.prepare(requests[0]).params
    assert again.get("format") != "changed" and again["paths"]["home"] != "/elsewhere"


def test_a_refused_command_line_is_refused_every_time(tmp_path: Path) -> None:
    preparer = Preparer(make_settings(tmp_path), _Presets(), _temp)
    request = AddRequest(url="https://example.com/a", cli="--exec 'rm -rf /'")
    for _ in range(2):
        with pytest.raises(InvalidInput):
            preparer.prepare(request)


def test_a_download_archive_is_resolved_for_each_item(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    preparer = Preparer(settings, _Presets(), _temp)
    request = AddRequest(url="https://example.com/a", cli="--download-archive done.txt")
    for _ in range(2):
        params = preparer.prepare(request).params
        archive = (settings.config_path / "archives").resolve() / "done.txt"
        assert params["download_archive"] == str(archive)
