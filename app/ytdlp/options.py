"""yt-dlp command-line options, read by yt-dlp's own parser and checked by the policy.

`parse_cli` turns a cli string into the YoutubeDL params it changes, in a JSON form that
can be stored, shown and pickled to a download child; `to_ydl_params` turns that form back
into live params (callables included) where YoutubeDL is built.
"""

from __future__ import annotations

import functools
import io
import optparse
import re
import shlex
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

import yt_dlp
from yt_dlp.options import create_parser
from yt_dlp.postprocessor.metadataparser import MetadataParserPP
from yt_dlp.utils import DateRange

from app.core.errors import InvalidInput
from app.ytdlp import policy
from app.ytdlp.policy import check_relative, output_template_is_safe

__all__ = [
    "ParsedCli",
    "check_relative",
    "merge_opts",
    "options_catalog",
    "output_template_is_safe",
    "parse_cli",
    "screen_console",
    "to_ydl_params",
]

T = TypeVar("T")

# Params that only shape what yt-dlp draws on a terminal; the server has none and the
# runner reports progress itself, so these are dropped and listed in removed_options.
_TERMINAL_ONLY = frozenset(
    {
        "consoletitle",
        "color",
        "noprogress",
        "progress_with_newline",
        "progress_template",
        "progress_delta",
    }
)
_REASON = re.compile(r"^.*?: error: (.*)", re.MULTILINE | re.DOTALL)
_ACTIONS: dict[str, Any] = vars(MetadataParserPP.Actions)


@dataclass(frozen=True, slots=True)
class ParsedCli:
    opts: dict[str, Any]  # the params the cli changes from yt-dlp's defaults, JSON form
    output_template: str | None  # -o / --output (the default template)
    download_path: str | None  # -P / --paths (home)
    removed_options: list[str]
    args: list[str]


class _Use(NamedTuple):
    flag: str  # as optparse matched it: abbreviations come out in full
    dest: str | None


def parse_cli(cli: str, *, allow_unsafe: bool = False) -> ParsedCli:
    """Parses yt-dlp options (no URLs); refuses what the policy refuses unless allowed."""
    args = _split(cli)
    uses, raw, positional = _screen(args, allow_unsafe=allow_unsafe)
    if positional:
        raise InvalidInput(
            f"The command options must not contain URLs or other arguments: {positional[0]!r}."
        )
    params = _changed(_quietly(lambda: yt_dlp.parse_options(args).ydl_opts), _defaults())
    if not allow_unsafe:
        policy.check_metadata_targets(params.get("postprocessors", []))
    for key in _TERMINAL_ONLY:
        params.pop(key, None)
    outtmpl = dict(params.pop("outtmpl", {}))
    paths = dict(params.pop("paths", {}))
    output_template, download_path = outtmpl.pop("default", None), paths.pop("home", None)
    params.update({key: rest for key, rest in (("outtmpl", outtmpl), ("paths", paths)) if rest})
    return ParsedCli(
        opts=_to_json(params, raw),
        output_template=output_template,
        download_path=download_path,
        removed_options=_flags_for(uses, _TERMINAL_ONLY),
        args=args,
    )


def screen_console(cli: str, *, allow_unsafe: bool = False) -> list[str]:
    """A console command line (options and URLs, as typed after ``yt-dlp``), checked by
    the same policy as a download's options; its arguments, split.

    ``--help`` and ``--version`` are allowed here: on a console they do what they say.
    """
    args = _split(cli)
    uses, _raw, _positional = _screen(args, allow_unsafe=allow_unsafe, console=True)
    exits = any(use.flag in policy.EXITING_FLAGS or use.flag == "-h" for use in uses)
    if not exits and not allow_unsafe:
        params = _quietly(lambda: yt_dlp.parse_options(args).ydl_opts)
        policy.check_metadata_targets(params.get("postprocessors", []))
    return args


def _split(cli: str) -> list[str]:
    try:
        return shlex.split(cli)
    except ValueError as err:
        raise InvalidInput(_failure(str(err))) from None


def _failure(reason: str) -> str:
    return f"Failed to parse command options for yt-dlp. '{reason}'."


def _quietly(call: Callable[[], T]) -> T:
    """Runs yt-dlp's parser with its printing captured and its exits turned into errors."""
    sink = io.StringIO()
    try:
        with redirect_stdout(sink), redirect_stderr(sink):
            return call()
    except optparse.OptParseError as err:
        match = _REASON.search(err.msg)
        raise InvalidInput(_failure((match[1] if match else err.msg).strip())) from None
    except ValueError as err:  # a few option values are validated outside optparse
        raise InvalidInput(_failure(str(err))) from None
    except SystemExit:
        raise InvalidInput(_failure(sink.getvalue().strip() or "yt-dlp exited")) from None


def _screen(
    args: list[str], *, allow_unsafe: bool, console: bool = False
) -> tuple[list[_Use], optparse.Values, list[str]]:
    """A first parse that applies the policy as each option is read.

    It must run before yt-dlp's parse_options, which already reads --config-locations files
    and --batch-file (stdin for "-") and prints for -v/--help. Hooking every option's
    process() sees the option optparse really matched (abbreviations, -xa clusters, -t
    presets expanding to more flags), which scanning argv by hand would get wrong.
    """
    parser = create_parser()
    uses: list[_Use] = []
    options = [*parser.option_list]
    for group in parser.option_groups:
        options.extend(group.option_list)
    for option in options:
        option.process = _hooked(option, uses, allow_unsafe, console)
    values, positional = _quietly(lambda: parser.parse_args(args))
    return uses, values, positional


def _hooked(option: Any, uses: list[_Use], allow_unsafe: bool, console: bool) -> Callable[..., Any]:
    process, names, dest = option.process, [*option._short_opts, *option._long_opts], option.dest

    def hooked(flag: str, value: Any, values: Any, parser: Any) -> Any:
        uses.append(_Use(flag, dest))
        if console and set(names) & policy.EXITING_FLAGS:
            return None  # yt-dlp prints and exits there; every other option is still read
        policy.check_flag(flag, names, allow_unsafe=allow_unsafe)
        result = process(flag, value, values, parser)
        if dest and not allow_unsafe:
            policy.check_value(flag, dest, getattr(values, dest, None))
        return result

    return hooked


def _flags_for(uses: list[_Use], dests: frozenset[str]) -> list[str]:
    return list(dict.fromkeys(use.flag for use in uses if use.dest in dests))


@functools.cache
def _defaults() -> dict[str, Any]:
    # Constant for the process and the costliest part of a parse: computed once.
    params: dict[str, Any] = _quietly(lambda: yt_dlp.parse_options([]).ydl_opts)
    return params


def _changed(params: dict[str, Any], defaults: dict[str, Any]) -> dict[str, Any]:
    """The params that differ from a bare `yt-dlp` run (the way devscripts/cli_to_api does)."""
    missing = object()
    changed = {
        key: value
        for key, value in params.items()
        if not key.startswith("_") and defaults.get(key, missing) != value
    }
    # The default FFmpegConcat postprocessor is in every run; keep only the user's own.
    pps = [pp for pp in changed.pop("postprocessors", []) if pp not in defaults["postprocessors"]]
    return {**changed, "postprocessors": pps} if pps else changed


def _to_json(params: dict[str, Any], raw: optparse.Values) -> dict[str, Any]:
    """JSON form; callables are described by the option text they came from.

    That text comes from the screening parse, so with allow_unsafe a --config-locations
    file's filters are not described (the operator's own config is the exception).
    """
    out = {key: _plain(value) for key, value in params.items()}
    if "match_filter" in params:
        out["match_filter"] = {
            "filters": list(raw.match_filter or []),
            "breaking_filters": list(raw.breaking_match_filter or []),
        }
    if "retry_sleep_functions" in params:
        out["retry_sleep_functions"] = {key: expr for key, expr in raw.retry_sleep.items() if expr}
    if "download_ranges" in params:
        out["download_ranges"] = list(raw.download_ranges or [])
    if "daterange" in params:
        out["daterange"] = _date_range(params["daterange"])
    return out


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, set | frozenset):
        return sorted((_plain(item) for item in value), key=str)
    if isinstance(value, re.Pattern):
        return value.pattern
    action = next((name for name, func in _ACTIONS.items() if func is value), None)
    return action or str(value)  # e.g. ImpersonateTarget: its str() is its CLI spelling


def _date_range(value: DateRange) -> dict[str, str | None]:
    def day(date: Any, unbounded: Any) -> str | None:
        return None if date == unbounded else date.strftime("%Y%m%d")

    return {"start": day(value.start, DateRange().start), "end": day(value.end, DateRange().end)}


def to_ydl_params(opts: dict[str, Any]) -> dict[str, Any]:
    """Live YoutubeDL params from the JSON form (run it in the process that builds YoutubeDL).

    The callables are rebuilt by yt-dlp's own parser from the option text they came from.
    """
    params = dict(opts)
    argv = _revival_argv(params)
    if argv:
        live = _quietly(lambda: yt_dlp.parse_options(argv).ydl_opts)
        params.update({key: live[key] for key in _REVIVED if isinstance(params.get(key), _JSONISH)})
    if isinstance(params.get("compat_opts"), list):
        params["compat_opts"] = set(params["compat_opts"])
    if isinstance(params.get("postprocessors"), list):
        params["postprocessors"] = [_revive_pp(pp) for pp in params["postprocessors"]]
    return params


_REVIVED = ("match_filter", "retry_sleep_functions", "download_ranges", "daterange", "impersonate")
_JSONISH = (dict, list, str)


def _revival_argv(params: dict[str, Any]) -> list[str]:
    argv: list[str] = []
    if isinstance(match := params.get("match_filter"), dict):
        argv += _repeat("--match-filters", match.get("filters", []))
        argv += _repeat("--break-match-filters", match.get("breaking_filters", []))
    if isinstance(sleeps := params.get("retry_sleep_functions"), dict):
        argv += _repeat("--retry-sleep", [f"{key}:{expr}" for key, expr in sleeps.items()])
    if isinstance(sections := params.get("download_ranges"), list):
        argv += _repeat("--download-sections", sections)
    if isinstance(dates := params.get("daterange"), dict):
        argv += _repeat("--dateafter", [dates["start"]] if dates.get("start") else [])
        argv += _repeat("--datebefore", [dates["end"]] if dates.get("end") else [])
    if isinstance(target := params.get("impersonate"), str):
        argv += ["--impersonate", target]
    return argv


def _repeat(flag: str, values: list[str]) -> list[str]:
    return [arg for value in values for arg in (flag, value)]


def _revive_pp(pp: Any) -> Any:
    if not isinstance(pp, dict):
        return pp
    pp = dict(pp)
    if pp.get("key") == "MetadataParser":
        pp["actions"] = [_revive_action(action) for action in pp.get("actions", [])]
    for key in ("categories", "remove_sponsor_segments"):  # yt-dlp does set algebra on these
        if isinstance(pp.get(key), list):
            pp[key] = set(pp[key])
    if isinstance(pp.get("remove_chapters_patterns"), list):
        pp["remove_chapters_patterns"] = [re.compile(p) for p in pp["remove_chapters_patterns"]]
    return pp


def _revive_action(action: Any) -> Any:
    if isinstance(action, list) and action and action[0] in _ACTIONS:
        return (_ACTIONS[action[0]], *action[1:])
    return action


def merge_opts(*layers: dict[str, Any]) -> dict[str, Any]:
    """Later layers win (defaults < preset < user); postprocessors add up, once each."""
    merged: dict[str, Any] = {}
    for layer in layers:
        for key, value in layer.items():
            if key == "postprocessors":
                value = _unique([*merged.get(key, []), *value])
            merged[key] = value
    return merged


def _unique(items: list[Any]) -> list[Any]:
    # Postprocessors are unhashable dicts, so dedupe by equality.
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


@functools.cache
def options_catalog() -> list[dict[str, Any]]:
    """Every documented yt-dlp option, by group, for the UI. Shared: do not mutate."""
    parser = create_parser()
    return [
        {
            "flags": [*option._short_opts, *option._long_opts],
            "description": parser.formatter.expand_default(option) or "",
            "group": group.title,
        }
        for group in parser.option_groups
        for option in group.option_list
        if option.help != optparse.SUPPRESS_HELP
    ]
