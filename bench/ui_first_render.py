"""Benchmark: time to first render of the Downloads page, empty vs 100,000-item history.

Opens the UI in Debian's Chromium (Playwright, never a downloaded browser) and measures from
navigation start until the history shows its first page (or says it is empty), several
times each. The history view reads one page, so the two figures should be close.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.common import ServerProcess, workdir
from bench.history_scale import seed

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
RENDERED = '[data-testid="history-item"], [data-testid="history-empty"]'


def first_render_ms(base_url: str, runs: int) -> list[float]:
    timings = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            started = time.perf_counter()
            page.goto(base_url + "/")
            page.wait_for_selector(RENDERED, timeout=30_000)
            timings.append((time.perf_counter() - started) * 1000)
            page.close()
        browser.close()
    return timings


def measure(work: Path, count: int, runs: int) -> None:
    data = work / f"ui{count}"
    if count:
        seed(data / "config", count)
    with ServerProcess(data) as server:
        first_render_ms(server.base_url, 1)  # warm up: caches, the forkserver
        timings = first_render_ms(server.base_url, runs)
    print(
        f"{count:>7} items: first render median {statistics.median(timings):.0f} ms, "
        f"max {max(timings):.0f} ms (n={runs})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with workdir() as work:
        measure(work, 0, args.runs)
        measure(work, args.items, args.runs)


if __name__ == "__main__":
    main()
