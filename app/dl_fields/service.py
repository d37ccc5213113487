"""Download fields: validated against yt-dlp's parser and the option policy, cached for
the configuration endpoint, announced on every change."""

from __future__ import annotations

import functools
import shlex

from yt_dlp.options import create_parser

from app.core.crud import CrudService
from app.core.errors import InvalidInput
from app.core.events import EventBus
from app.dl_fields.models import DlFieldFields, DlFieldModel
from app.dl_fields.store import DlFieldStore
from app.ytdlp.options import parse_cli
from app.ytdlp.policy import check_flag


@functools.cache
def _options() -> dict[str, tuple[list[str], bool]]:
    """Long option -> (all its names, whether it takes a value)."""
    parser = create_parser()
    table: dict[str, tuple[list[str], bool]] = {}
    for option in [*parser.option_list, *(o for g in parser.option_groups for o in g.option_list)]:
        names = [*option._short_opts, *option._long_opts]
        for name in option._long_opts:
            table[name] = (names, bool(option.takes_value()))
    return table


class DlFieldService(CrudService[DlFieldFields, DlFieldModel]):
    feature = "dl_fields"
    noun = "Download field"

    def __init__(self, store: DlFieldStore, bus: EventBus, *, allow_unsafe: bool) -> None:
        super().__init__(store, bus)
        self._allow_unsafe = allow_unsafe

    def check(self, fields: DlFieldFields, record_id: int | None) -> DlFieldFields:
        """The option must exist, be allowed, fit the kind, and accept the default value.

        Also at start-up: a stored field that would be refused if saved today (an option
        yt-dlp no longer has, one the policy refuses) is set aside."""
        known = _options().get(fields.field)
        if known is None:
            raise InvalidInput(f"field: '{fields.field}' is not a yt-dlp option.")
        names, takes_value = known
        check_flag(fields.field, names, allow_unsafe=self._allow_unsafe)
        if fields.kind == "bool" and takes_value:
            raise InvalidInput(f"field: '{fields.field}' takes a value; use kind text or select.")
        if fields.kind != "bool" and not takes_value:
            raise InvalidInput(f"field: '{fields.field}' takes no value; use kind bool.")
        if takes_value and fields.value:
            parse_cli(shlex.join([fields.field, fields.value]), allow_unsafe=self._allow_unsafe)
        return fields
