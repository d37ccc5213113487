"""The multi-task POST's rules, as pure functions: later tasks take the first task's
values, their own name (or ``task-{index}``) and the first task's timer five minutes later
per position."""

from __future__ import annotations

from typing import Any

STAGGER_MINUTES = 5
_OWN = frozenset({"id", "name", "timer"})


def staggered(timer: str, index: int) -> str:
    """``timer`` moved ``index`` times 5 minutes later; minutes past the hour carry into a plain
    hour field ("5 */2 * * *" → "10 */2 * * *"; "55 3 * * *" at 1 → "0 4 * * *"). A minute
    field that is not a plain number ("*/10") is left as it is."""
    fields = timer.split()
    if not fields or not fields[0].isdigit():
        return timer
    total = int(fields[0]) + STAGGER_MINUTES * index
    fields[0] = str(total % 60)
    if total >= 60 and fields[1].isdigit():
        fields[1] = str((int(fields[1]) + total // 60) % 24)
    return " ".join(fields)


def backfilled(first: dict[str, Any], task: dict[str, Any], index: int) -> dict[str, Any]:
    """Task ``index`` (0 is the first) of a batch, filled from the first one. The name is
    left out when the task gives none: the caller looks it up from the URL."""
    if index == 0:
        return dict(task)
    inherited = {key: value for key, value in first.items() if key not in _OWN}
    filled = inherited | task
    if "timer" not in task:
        filled["timer"] = staggered(str(first.get("timer") or ""), index)
    return filled


def fallback_name(index: int) -> str:
    return f"task-{index}"
