"""``kill -9`` mid-download, restart on the same data: nothing is lost, files complete."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.sandbox.guard import WORKDIRS
from tests.fixtures.media import MediaLibrary
from tests.fixtures.site import FixtureSite
from tests.server_process import ServerProcess

RATE = 30_000  # bytes a second: each 160 KB clip takes over 5 s


def wait_until(check: object, timeout: float = 60.0) -> None:
    """Polls another process's state (no event crosses the process boundary)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise TimeoutError("condition not reached")


def children_of(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.add(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    found = children_of(pid)
    for child in list(found):
        found |= descendants(child)
    return found


def alive(pid: int) -> bool:
    """Running: neither gone nor a zombie waiting for its parent to look."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.slow
def test_kill_nine_and_restart(
    tmp_path: Path, fixture_site: FixtureSite, media_library: MediaLibrary
) -> None:
    server = ServerProcess(tmp_path, YTP_MAX_WORKERS="5", YTP_MAX_WORKERS_PER_EXTRACTOR="5")
    server.start()
    urls = [fixture_site.url(f"/watch/gen-{n:04d}?rate={RATE}") for n in range(101, 106)]
    answer = server.post("/api/history", [{"url": url} for url in urls])
    assert [a["status"] for a in answer] == ["queued"] * 5
    uids = {a["item"]["_id"] for a in answer}

    def all_started() -> bool:
        queue = server.get("/api/history/live")["queue"]
        # The add answers before the items are identified and queued: absent until then.
        return all((queue.get(uid, {}).get("downloaded_bytes") or 0) > 0 for uid in uids)

    wait_until(all_started)
    assert server.process is not None
    tree = descendants(server.process.pid)
    server.kill()
    # The zygote, the forkserver and every download child die with the server (no orphan
    # writers).
    wait_until(lambda: not any(alive(pid) for pid in tree), 10)

    server.start()
    try:
        live = server.get("/api/history/live")
        assert set(live["queue"]) == uids  # all 5 are back, none re-added
        wait_until(lambda: server.get("/api/history/live")["queue"] == {}, 90)
        page = server.get("/api/history?type=done&per_page=10")
        assert {i["_id"] for i in page["items"]} == uids
        source = media_library.path("clip.mp4").read_bytes()
        for item in page["items"]:
            assert item["status"] == "finished", item
            assert (tmp_path / "downloads" / item["filename"]).read_bytes() == source
        # Nothing of the downloads is left; idle workers keep their own working folders.
        assert [p.name for p in (tmp_path / "tmp").iterdir()] in ([], [WORKDIRS])
    finally:
        server.stop()
    assert (tmp_path / "config" / "tubestash.db").exists()
