"""Development-only views of the running process (``YTP_DEV_MODE``)."""

from __future__ import annotations

import asyncio
from typing import Any

MAX_TASKS = 500  # a report, not a dump of a runaway process
MAX_FRAMES = 20


def loop_report() -> dict[str, Any]:
    """The running loop and its tasks with their stacks (call it on the loop)."""
    loop = asyncio.get_running_loop()
    tasks = sorted(asyncio.all_tasks(loop), key=lambda task: task.get_name())
    return {
        "total_tasks": len(tasks),
        "loop": repr(loop),
        "tasks": [{"task": repr(task), "stack": _stack(task)} for task in tasks[:MAX_TASKS]],
    }


def _stack(task: asyncio.Task[Any]) -> list[str]:
    # Without the source lines: reading them is disk I/O, and this runs on the loop.
    return [
        f'File "{frame.f_code.co_filename}", line {frame.f_lineno}, in {frame.f_code.co_name}'
        for frame in task.get_stack(limit=MAX_FRAMES)
    ]
