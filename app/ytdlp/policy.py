"""Which yt-dlp options a request may use, and the path rules for templates and folders.

Options from requests, presets and tasks all pass through here (see DESIGN "Contracts"):
whatever runs a program or reaches a file outside the download/temp roots is refused unless
the operator allowed it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from yt_dlp.postprocessor.metadataparser import MetadataParserPP
from yt_dlp.utils import STR_FORMAT_RE_TMPL, STR_FORMAT_TYPES

from app.core.errors import InvalidInput

# Any spelling of these options is refused (yt-dlp's aliases, e.g. -a or --external-downloader,
# name the same option). Only the enabling forms: --no-exec, --no-cookies, ... stay allowed.
REFUSED_FLAGS: frozenset[str] = frozenset(
    {
        # Run a program or shell command on the server.
        "--exec",
        "--exec-before-download",
        "--netrc-cmd",
        "--downloader",
        "--downloader-args",
        "--ffmpeg-location",
        # ffmpeg arguments can name any output file.
        "--postprocessor-args",
        # Load Python code: plugins, or plugin postprocessors by name.
        "--plugin-dirs",
        "--use-postprocessor",
        # Defines new flags that expand to anything, this table included.
        "--alias",
        # Read a file anywhere on the server (its content can leak through errors).
        "--batch-file",
        "--config-locations",
        "--load-info-json",
        "--cookies",
        "--cookies-from-browser",
        "--netrc-location",
        "--client-certificate",
        "--client-certificate-key",
        "--enable-file-urls",
        "--load-pages",
        # Write or delete files outside the roots.
        "--cache-dir",
        "--rm-cache-dir",
        "--print-to-file",
        "--write-pages",
        # Replace the yt-dlp the server runs.
        "--update",
        "--update-to",
    }
)

# These print and exit inside the parser itself; never meaningful here, so never allowed.
EXITING_FLAGS: frozenset[str] = frozenset({"--help", "--version"})

_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")
_ENV_VAR = re.compile(r"\$(?:\w|\{)")  # what os.path.expandvars would replace
_SEPARATORS = re.compile(r"[/\\]")
# yt-dlp's own pattern for a %(field)s in an output template (YoutubeDL.prepare_outtmpl).
_FIELD = re.compile(STR_FORMAT_RE_TMPL.format("[^)]*", f"[{STR_FORMAT_TYPES}ljhqBUDS]"))
_EMPTY_FIELD, _FULL_FIELD = "\x00", "\x01"


def path_problem(path: str) -> str | None:
    """Why `path` could leave its root, or None. yt-dlp expands `~` and `$VARS` in paths."""
    if "\0" in path:
        return "NUL bytes are not allowed"
    text = path.strip()  # yt-dlp strips -P values, so " /etc" is "/etc"
    if text.startswith(("/", "\\")) or _WINDOWS_DRIVE.match(text):
        return "absolute paths are not allowed"
    if text.startswith("~") or _ENV_VAR.search(text):
        return "'~' and environment variables are not allowed"
    if any(part.strip() == ".." for part in _SEPARATORS.split(text)):
        return "'..' is not allowed"
    return None


def check_relative(path: str, what: str) -> None:
    """Refuses a folder/path that could leave its root; "" is allowed and means the root."""
    problem = path_problem(path)
    if problem:
        raise InvalidInput(f"Invalid {what} {path!r}: {problem}.")


def template_problem(template: str) -> str | None:
    """Why an output template could write outside the download folder, or None."""
    if not template.strip():
        return "it is empty"
    if template.strip() == "-":
        return "writing the media to stdout is not allowed"
    problem = path_problem(template)
    if problem:
        return problem
    # A field's default (%(x|..)s) or replacement (%(x&..|)s) is inserted as a whole
    # path component, so ".." there climbs out just like a literal one.
    if any(".." in (match["key"] or "") for match in _FIELD.finditer(template)):
        return "'..' is not allowed in a field"
    if _head_can_vanish(template):
        return "it becomes an absolute path when its leading fields are empty"
    return None


def output_template_is_safe(template: str) -> bool:
    return template_problem(template) is None


def _head_can_vanish(template: str) -> bool:
    """True for "%(playlist|)s/x": an empty default leaves "/x", which yt-dlp treats as absolute."""
    skeleton = _FIELD.sub(_field_marker, template)
    parts = _SEPARATORS.split(skeleton, maxsplit=1)
    head = parts[0].strip()
    return len(parts) == 2 and bool(head) and set(head) == {_EMPTY_FIELD}


def _field_marker(match: re.Match[str]) -> str:
    body, bar, default = (match["key"] or "").partition("|")
    _, amp, replacement = body.partition("&")
    empty = (bar and not default.strip()) or (amp and not replacement.strip())
    return match["prefix"] + (_EMPTY_FIELD if empty else _FULL_FIELD)


# Fields that say where a file is, or that only yt-dlp itself sets ("_" and "__" ones).
_PATH_FIELDS = frozenset({"filepath", "filename", "requested_downloads", "requested_formats"})


def check_metadata_targets(postprocessors: Iterable[Any]) -> None:
    """Refuses --parse-metadata / --replace-in-metadata (any spelling) aimed at a path field.

    yt-dlp reports and moves files by these fields, so rewriting one would point the
    server at a file it did not download.
    """
    for pp in postprocessors:
        if not isinstance(pp, dict) or pp.get("key") != "MetadataParser":
            continue
        for action in pp.get("actions", ()):
            for name in _targets(action):
                if name.startswith("_") or name in _PATH_FIELDS:
                    raise InvalidInput(f"Metadata field '{name}' cannot be rewritten.")


def _targets(action: Any) -> list[str]:
    kind, *rest = action
    if kind is MetadataParserPP.Actions.REPLACE:
        return [str(rest[0])]
    try:
        return list(re.compile(MetadataParserPP.format_to_regex(rest[1])).groupindex)
    except (re.error, IndexError, TypeError):
        raise InvalidInput("A --parse-metadata pattern is not valid.") from None


def check_flag(flag: str, names: Iterable[str], *, allow_unsafe: bool) -> None:
    """Refuses an option by any of its names; `flag` is how the user wrote it."""
    spelled = set(names)
    if spelled & EXITING_FLAGS or (not allow_unsafe and spelled & REFUSED_FLAGS):
        raise InvalidInput(f"Option '{flag}' is not allowed.")


def check_value(flag: str, dest: str, value: Any) -> None:
    """Refuses a value (after yt-dlp parsed it) that would leave the roots."""
    check = _VALUE_CHECKS.get(dest)
    problem = check(value) if check is not None and value is not None else None
    if problem:
        raise InvalidInput(f"Option '{flag}' is not allowed: {problem}.")


def _templates(value: dict[str, str]) -> str | None:
    # An empty template is a yt-dlp feature (skip that file), not a path.
    for kind, template in value.items():
        problem = template_problem(template) if template else None
        if problem:
            return f"{kind} output template {template!r}: {problem}"
    return None


def _paths(value: dict[str, str]) -> str | None:
    for kind, path in value.items():
        problem = path_problem(path)
        if problem:
            return f"{kind} path {path!r}: {problem}"
    return None


def _archive(value: str) -> str | None:
    problem = path_problem(value)
    return f"{value!r}: {problem}" if problem else None


def _placeholder(value: str) -> str | None:
    # A missing field becomes this text: "" would turn "%(uploader)s/x" into "/x".
    if value.strip() in ("", ".", "..") or re.search(r"[/\\\0]", value):
        return f"{value!r} could turn a missing field into a path outside the folder"
    return None


def _runtimes(value: list[str]) -> str | None:
    # "node:/some/path" runs that binary; plain names use the installed runtimes.
    pathed = [runtime for runtime in value if ":" in runtime]
    return f"a runtime path is not allowed ({pathed[0]!r})" if pathed else None


_VALUE_CHECKS: dict[str, Callable[[Any], str | None]] = {
    "outtmpl": _templates,
    "paths": _paths,
    "download_archive": _archive,
    "outtmpl_na_placeholder": _placeholder,
    "js_runtimes": _runtimes,
}
