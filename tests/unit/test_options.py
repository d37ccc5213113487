"""The yt-dlp option parser and policy, against the real yt-dlp parser (no mocks)."""

from __future__ import annotations

import contextlib
import json
import pickle
from pathlib import Path
from typing import Any

import pytest
import yt_dlp
from yt_dlp.options import create_parser

from app.core.errors import InvalidInput
from app.ytdlp.options import (
    check_relative,
    merge_opts,
    options_catalog,
    output_template_is_safe,
    parse_cli,
    to_ydl_params,
)
from app.ytdlp.policy import EXITING_FLAGS, REFUSED_FLAGS

PARSE_FAILURE = "Failed to parse command options for yt-dlp. '"


# --- conversions -------------------------------------------------------------------------


def test_subtitles_are_written_and_embedded() -> None:
    parsed = parse_cli("--write-sub --embed-subs")
    assert parsed.opts == {
        "writesubtitles": True,
        "postprocessors": [{"key": "FFmpegEmbedSubtitle", "already_have_subtitle": True}],
    }
    assert parsed.args == ["--write-sub", "--embed-subs"]


def test_format_is_the_only_change() -> None:
    assert parse_cli("-f bestvideo+bestaudio").opts == {"format": "bestvideo+bestaudio"}


def test_extract_audio_adds_a_postprocessor() -> None:
    opts = parse_cli("-x --audio-format mp3").opts
    assert opts["final_ext"] == "mp3"
    assert opts["postprocessors"] == [
        {
            "key": "FFmpegExtractAudio",
            "preferredcodec": "mp3",
            "preferredquality": "5",
            "nopostoverwrites": False,
        }
    ]


def test_default_postprocessors_are_not_repeated() -> None:
    # yt-dlp adds FFmpegConcat to every run; only the user's own postprocessors belong here.
    keys = [pp["key"] for pp in parse_cli("--embed-metadata").opts["postprocessors"]]
    assert keys == ["FFmpegMetadata"]


def test_preset_alias_expands_like_the_flags_it_stands_for() -> None:
    assert (
        parse_cli("-t mp3").opts
        == parse_cli("-f 'ba[acodec^=mp3]/ba/b' -x --audio-format mp3").opts
    )


def test_empty_cli_changes_nothing() -> None:
    parsed = parse_cli("   ")
    assert parsed.opts == {}
    assert parsed.args == []
    assert parsed.output_template is None
    assert parsed.download_path is None
    assert parsed.removed_options == []


def test_match_filter_is_json_and_comes_back_as_a_filter() -> None:
    opts = parse_cli('--match-filter "duration > 60"').opts
    assert opts["match_filter"] == {"filters": ["duration > 60"], "breaking_filters": []}

    live = to_ydl_params(json.loads(json.dumps(opts)))["match_filter"]
    assert live({"id": "a", "duration": 120}) is None
    assert "does not pass filter" in live({"id": "a", "duration": 10})


RICH_CLI = (
    "--match-filters 'duration>60' --break-match-filters 'like_count>1' --dateafter 20200101"
    " --retry-sleep linear=1::2 --retry-sleep fragment:exp=1:20 --download-sections '*10-20'"
    " --download-sections intro --impersonate chrome --parse-metadata 'title:%(artist)s'"
    " --replace-in-metadata title a b --sponsorblock-remove sponsor --sponsorblock-mark intro"
    " --remove-chapters outro --compat-options no-live-chat --embed-thumbnail -S res:720"
)


def test_opts_survive_json_and_pickle() -> None:
    opts = parse_cli(RICH_CLI).opts
    assert json.loads(json.dumps(opts)) == opts
    assert pickle.loads(pickle.dumps(opts)) == opts


def test_to_ydl_params_gives_back_what_yt_dlp_builds() -> None:
    parsed = parse_cli(RICH_CLI)
    revived = to_ydl_params(json.loads(json.dumps(parsed.opts)))
    live = yt_dlp.parse_options(parsed.args).ydl_opts

    for key in ("download_ranges", "daterange", "impersonate", "compat_opts", "format_sort"):
        assert revived[key] == live[key], key
    assert repr(revived["match_filter"]) == repr(live["match_filter"])
    for kind, sleep in live["retry_sleep_functions"].items():
        assert [revived["retry_sleep_functions"][kind](n) for n in range(4)] == [
            sleep(n) for n in range(4)
        ]
    user_pps = [pp for pp in live["postprocessors"] if pp["key"] != "FFmpegConcat"]
    assert revived["postprocessors"] == user_pps


# --- output template and paths -----------------------------------------------------------


def test_output_template_and_path_are_taken_out_of_opts() -> None:
    parsed = parse_cli('-o "%(title)s.%(ext)s" -P sub --write-info-json')
    assert parsed.output_template == "%(title)s.%(ext)s"
    assert parsed.download_path == "sub"
    assert "outtmpl" not in parsed.opts
    assert "paths" not in parsed.opts
    assert parsed.opts["writeinfojson"] is True


def test_other_template_types_stay_in_opts() -> None:
    parsed = parse_cli('--output "thumbnail:thumbs/%(id)s.%(ext)s" --paths temp:tmp')
    assert parsed.output_template is None
    assert parsed.download_path is None
    assert parsed.opts["outtmpl"] == {"thumbnail": "thumbs/%(id)s.%(ext)s"}
    assert parsed.opts["paths"] == {"temp": "tmp"}


def test_terminal_only_options_are_removed_and_listed() -> None:
    parsed = parse_cli("--newline --no-colors --console-title -f best")
    assert parsed.opts == {"format": "best"}
    assert parsed.removed_options == ["--newline", "--no-colors", "--console-title"]


# --- the policy ----------------------------------------------------------------------------

REFUSED = [
    ("--exec 'echo hi'", "--exec"),
    ("--exec-before-download 'echo hi'", "--exec-before-download"),
    ("--exec-before echo", "--exec-before-download"),  # optparse completes abbreviations
    ("--netrc-cmd 'echo hi'", "--netrc-cmd"),
    ("-a urls.txt", "-a"),
    ("-xa urls.txt", "-a"),  # inside a cluster of short flags
    ("--batch-file urls.txt", "--batch-file"),
    ("--config-locations /etc/passwd", "--config-locations"),
    ("--plugin-dirs /tmp", "--plugin-dirs"),
    ("-U", "-U"),
    ("--update", "--update"),
    ("--update-to nightly", "--update-to"),
    ("--load-info-json /tmp/x.info.json", "--load-info-json"),
    ("--cookies /tmp/cookies.txt", "--cookies"),
    ("--cookies=/etc/passwd", "--cookies"),
    ("--cookies-from-browser firefox", "--cookies-from-browser"),
    ("--ffmpeg-location /tmp/ffmpeg", "--ffmpeg-location"),
    ("--netrc-location /tmp", "--netrc-location"),
    ("--cache-dir /tmp/cache", "--cache-dir"),
    ("--rm-cache-dir", "--rm-cache-dir"),
    ("--print-to-file title /tmp/x", "--print-to-file"),
    ("--downloader aria2c", "--downloader"),
    ("--external-downloader aria2c", "--external-downloader"),
    ("--downloader-args 'aria2c:-x 4'", "--downloader-args"),
    ("--external-downloader-args '-x 4'", "--external-downloader-args"),
    ("--postprocessor-args 'ffmpeg:-y /tmp/x'", "--postprocessor-args"),
    ("--ppa 'ffmpeg:-y /tmp/x'", "--ppa"),
    ("--use-postprocessor Plugin", "--use-postprocessor"),
    ("--alias get-audio '-x'", "--alias"),
    ("--client-certificate /tmp/c.pem", "--client-certificate"),
    ("--client-certificate-key /tmp/k.pem", "--client-certificate-key"),
    ("--enable-file-urls", "--enable-file-urls"),
    ("--write-pages", "--write-pages"),
    ("--load-pages", "--load-pages"),
]

REFUSED_VALUES = [
    ("-o /tmp/%(title)s.%(ext)s", "-o"),
    ("--output ../%(title)s.%(ext)s", "--output"),
    ("-o 'sub/../../x.%(ext)s'", "-o"),
    ("-o 'thumbnail:/tmp/%(id)s.%(ext)s'", "-o"),
    ("-o 'infojson:..\\\\x'", "-o"),
    ("-o '~/x.%(ext)s'", "-o"),
    ("-o '$HOME/x.%(ext)s'", "-o"),
    ("-o '%(nope|..)s/x.%(ext)s'", "-o"),
    ("-o '%(playlist|)s/%(title)s.%(ext)s'", "-o"),
    ("-o -", "-o"),
    ("-P /tmp", "-P"),
    ("--paths 'temp:../tmp'", "--paths"),
    ("-P 'C:\\\\Users'", "-P"),
    ("--download-archive /tmp/archive.txt", "--download-archive"),
    ("--download-archive ../archive.txt", "--download-archive"),
    ("--output-na-placeholder ''", "--output-na-placeholder"),
    ("--output-na-placeholder ..", "--output-na-placeholder"),
    ("--js-runtimes node:/tmp/node", "--js-runtimes"),
]


@pytest.mark.parametrize(("cli", "flag"), REFUSED)
def test_refused_flags_are_named(cli: str, flag: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cli(cli)
    assert caught.value.message == f"Option '{flag}' is not allowed."
    assert caught.value.status == 400


@pytest.mark.parametrize(("cli", "flag"), REFUSED_VALUES)
def test_values_outside_the_roots_are_refused(cli: str, flag: str) -> None:
    with pytest.raises(InvalidInput, match=rf"^Option '{flag}' is not allowed: "):
        parse_cli(cli)


def test_refusal_happens_before_a_config_file_is_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.conf"
    secret.write_text("--this-line-would-leak-into-the-error\n")
    with pytest.raises(InvalidInput) as caught:
        parse_cli(f"--config-locations {secret}")
    assert caught.value.message == "Option '--config-locations' is not allowed."


@pytest.mark.parametrize(
    "cli",
    [
        "--no-exec",
        "--no-cookies --no-cookies-from-browser",
        "--no-batch-file --no-download-archive --no-config-locations",
        "--no-update --no-cache-dir --no-plugin-dirs",
        "--js-runtimes node",
        "--download-archive archive.txt -P 'temp:tmp' -o 'sub/%(title)s.%(ext)s'",
    ],
)
def test_disabling_forms_and_relative_paths_are_allowed(cli: str) -> None:
    parse_cli(cli)


def _unsafe_cases(tmp_path: Path) -> list[str]:
    urls = tmp_path / "urls.txt"
    urls.write_text("")
    config = tmp_path / "yt-dlp.conf"
    config.write_text("-f best\n")
    values = {"-a": str(urls), "--batch-file": str(urls), "--config-locations": str(config)}
    cases = [cli for cli, flag in REFUSED if flag not in values]
    cases += [f"{flag} {path}" for flag, path in values.items()]
    return cases + [cli for cli, _ in REFUSED_VALUES]


def test_allow_unsafe_lets_everything_through(tmp_path: Path) -> None:
    for cli in _unsafe_cases(tmp_path):
        parse_cli(cli, allow_unsafe=True)


def test_allow_unsafe_reads_config_locations(tmp_path: Path) -> None:
    config = tmp_path / "yt-dlp.conf"
    config.write_text("-f best\n")
    assert parse_cli(f"--config-locations {config}", allow_unsafe=True).opts["format"] == "best"


def test_allow_unsafe_keeps_paths_as_given() -> None:
    parsed = parse_cli("-o /srv/x.%(ext)s -P /srv", allow_unsafe=True)
    assert (parsed.output_template, parsed.download_path) == ("/srv/x.%(ext)s", "/srv")


@pytest.mark.parametrize("cli", ["--help", "-h", "--version"])
def test_exiting_flags_are_refused_even_when_unsafe_is_allowed(cli: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cli(cli, allow_unsafe=True)
    assert caught.value.message == f"Option '{cli}' is not allowed."


@pytest.mark.parametrize(
    "cli", ["https://example.com/v", "-f best https://example.com/v", "-- --not-an-option"]
)
def test_positional_arguments_are_refused(cli: str) -> None:
    with pytest.raises(InvalidInput, match="must not contain URLs or other arguments"):
        parse_cli(cli)


def test_every_table_entry_is_a_yt_dlp_option() -> None:
    # Fails when yt-dlp renames an option, which would silently let it through.
    parser = create_parser()
    for flag in REFUSED_FLAGS | EXITING_FLAGS:
        assert parser.has_option(flag), flag


# --- parse failures ------------------------------------------------------------------------


def test_unknown_option_message_is_exact() -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cli("--no-such-flag")
    assert caught.value.message == f"{PARSE_FAILURE}no such option: --no-such-flag'."


@pytest.mark.parametrize(
    "cli",
    [
        '--format "bestvideo',  # unbalanced quote
        "-f",  # missing value
        "--retries many",
        "--date notadate",
        "-o '%(title'",
        "--concat-playlist sometimes",
    ],
)
def test_unparseable_input_is_invalid_input(cli: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_cli(cli)
    assert caught.value.message.startswith(PARSE_FAILURE)
    assert "Usage:" not in caught.value.message


@pytest.mark.parametrize(
    "cli",
    ["-v -f best", "--version", "--help", "--no-such-flag", "-v --no-such-flag", "-a -", "x"],
)
def test_nothing_is_printed(cli: str, capsys: pytest.CaptureFixture[str]) -> None:
    with contextlib.suppress(InvalidInput):
        parse_cli(cli)
    assert capsys.readouterr() == ("", "")


# --- templates and folders -----------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "%(title)s.%(ext)s",
        "sub/%(title)s.%(ext)s",
        "%(uploader)s/%(title)s [%(id)s].%(ext)s",
        "%(playlist|Singles)s/%(title)s.%(ext)s",
        "%(playlist_index&{} - |)s%(title)s.%(ext)s",
        "100%% done %(title)s.%(ext)s",
    ],
)
def test_safe_templates(template: str) -> None:
    assert output_template_is_safe(template)


@pytest.mark.parametrize(
    "template",
    [
        "",
        "   ",
        "-",
        "/abs/%(title)s.%(ext)s",
        "../../etc/%(title)s",
        "a/../../%(title)s",
        "a\\..\\..\\%(title)s",
        "C:\\x\\%(title)s",
        "\\\\server\\share\\%(title)s",
        "~/%(title)s",
        "${HOME}/%(title)s",
        "x\0y",
        "%(nope|..)s/%(title)s",
        "%(title&..|)s/x",
        "%(nope|)s/etc/x",
        "%(a|)s%(b&|)s/etc/x",
    ],
)
def test_unsafe_templates(template: str) -> None:
    assert not output_template_is_safe(template)


@pytest.mark.parametrize("folder", ["", "sub", "a/b", "a/./b", "my..folder"])
def test_relative_folders_pass(folder: str) -> None:
    check_relative(folder, "folder")


@pytest.mark.parametrize(
    "folder", ["../../etc", "/abs", "a/../..", "..", "C:\\x", "c:x", "\\\\host\\share", "a\0b"]
)
def test_escaping_folders_are_refused(folder: str) -> None:
    with pytest.raises(InvalidInput, match=r"^Invalid folder "):
        check_relative(folder, "folder")


# --- merging and the catalog ---------------------------------------------------------------


def test_later_layers_win() -> None:
    defaults = {"format": "best", "retries": 5, "quiet": True}
    preset = {"format": "bestaudio", "retries": 3}
    user = {"format": "worst"}
    assert merge_opts(defaults, preset, user) == {"format": "worst", "retries": 3, "quiet": True}


def test_postprocessors_add_up_once_each() -> None:
    embed: dict[str, Any] = {"key": "FFmpegEmbedSubtitle", "already_have_subtitle": True}
    audio: dict[str, Any] = {"key": "FFmpegExtractAudio", "preferredcodec": "mp3"}
    preset = {"postprocessors": [embed]}
    user = {"postprocessors": [audio, embed]}
    assert merge_opts({}, preset, user)["postprocessors"] == [embed, audio]
    assert preset == {"postprocessors": [embed]}  # the layers are not changed


def test_merging_parsed_layers() -> None:
    preset = parse_cli("--embed-subs -f best").opts
    user = parse_cli("-x -f bestaudio").opts
    merged = merge_opts(preset, user)
    assert merged["format"] == "bestaudio"
    assert [pp["key"] for pp in merged["postprocessors"]] == [
        "FFmpegEmbedSubtitle",
        "FFmpegExtractAudio",
    ]


def test_catalog_shape() -> None:
    catalog = options_catalog()
    assert catalog is options_catalog()  # built once
    assert all(set(entry) == {"flags", "description", "group"} for entry in catalog)
    by_flag = {flag: entry for entry in catalog for flag in entry["flags"]}
    assert by_flag["--format"]["flags"] == ["-f", "--format"]
    assert by_flag["--format"]["group"] == "Video Format Options"
    assert by_flag["--format"]["description"]
    assert "--test" not in by_flag  # hidden options stay hidden
    json.dumps(catalog)
