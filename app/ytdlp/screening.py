"""Add requests from someone who may not use unsafe options, whatever the operator allows.

``YTP_ALLOW_UNSAFE_OPTIONS`` trusts the operator's users; an API key that is not an admin
(a downloader, a custom set) is not one of them, so its adds are screened as if the
setting were off.
"""

from __future__ import annotations

from typing import Any

from app.core.errors import InvalidInput
from app.ytdlp.options import parse_cli
from app.ytdlp.policy import template_problem


def screen_adds(data: Any) -> None:
    """Raises InvalidInput for any entry whose ``cli`` or ``template`` the policy refuses."""
    entries = data if isinstance(data, list) else [data]
    for entry in entries:
        if not isinstance(entry, dict):
            continue  # the add itself refuses it, with its own message
        cli, template = entry.get("cli"), entry.get("template")
        if isinstance(cli, str) and cli.strip():
            parse_cli(cli, allow_unsafe=False)
        if isinstance(template, str) and template.strip():
            problem = template_problem(template)
            if problem:
                raise InvalidInput(f"Invalid output template {template!r}: {problem}.")
