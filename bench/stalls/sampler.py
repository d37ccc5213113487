"""A loop-stall sampler for benchmarks (see ``sitecustomize.py`` beside it): wraps
``asyncio.Handle._run`` to time every callback, and a thread samples the main thread's
stack while a callback has run longer than half the threshold."""

from __future__ import annotations

import asyncio.events
import collections
import json
import sys
import threading
import time
import traceback
from typing import Any

PERIOD = 0.002


def install(path: str, threshold_ms: float) -> None:
    threshold = threshold_ms / 1000
    main = threading.main_thread().ident or 0
    state: dict[str, Any] = {"started": 0.0, "samples": []}
    done: collections.deque[dict[str, Any]] = collections.deque()
    original = asyncio.events.Handle._run

    def _run(self: asyncio.events.Handle) -> None:
        state["samples"] = []
        cpu = time.thread_time()
        state["started"] = started = time.perf_counter()
        try:
            original(self)
        finally:
            state["started"] = 0.0
            took = time.perf_counter() - started
            if took > threshold:
                done.append(
                    {
                        "at": time.time(),
                        "ms": round(took * 1000, 1),
                        # Much less than ms: the thread waited (for a CPU, the GIL, I/O).
                        "cpu_ms": round((time.thread_time() - cpu) * 1000, 1),
                        "callback": _name(self),
                        "samples": state["samples"],
                    }
                )

    asyncio.events.Handle._run = _run  # type: ignore[method-assign]

    def sample() -> None:
        with open(path, "a", encoding="utf-8") as out:
            while True:
                time.sleep(PERIOD)
                started = state["started"]
                if started and time.perf_counter() - started > threshold / 2:
                    frame = sys._current_frames().get(main)
                    if frame is not None:
                        stack = traceback.extract_stack(frame)
                        state["samples"].append(
                            [f"{f.filename}:{f.lineno} {f.name}" for f in stack[-25:]]
                        )
                while done:
                    out.write(json.dumps(done.popleft()) + "\n")
                    out.flush()

    threading.Thread(target=sample, name="stall-sampler", daemon=True).start()


def _name(handle: asyncio.events.Handle) -> str:
    """The task's coroutine for a task's step, else the handle."""
    owner = getattr(getattr(handle, "_callback", None), "__self__", None)
    if isinstance(owner, asyncio.Task):
        coro = owner.get_coro()
        return f"task {owner.get_name()}: {getattr(coro, '__qualname__', coro)}"
    return repr(handle)[:300]
