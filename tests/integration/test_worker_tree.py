"""The server's process tree: the zygote alone while idle, the forkserver only for work."""

from __future__ import annotations

from pathlib import Path

from tests.fixtures.site import FixtureSite
from tests.integration.test_crash_recovery import children_of, wait_until
from tests.server_process import ServerProcess


def tree(pid: int) -> list[str]:
    """Names of the process's descendants."""
    names = []
    for child in children_of(pid):
        try:
            names.append(Path(f"/proc/{child}/comm").read_text().strip())
        except OSError:
            continue
        names += tree(child)
    return sorted(names)


def download(server: ServerProcess, url: str) -> None:
    (answer,) = server.post("/api/history", [{"url": url}])
    uid = answer["item"]["_id"]

    def finished() -> bool:
        items = server.get("/api/history?type=done&per_page=50")["items"]
        return any(i["_id"] == uid and i["status"] == "finished" for i in items)

    wait_until(finished, 60)


def test_forkserver_comes_for_work_and_goes(tmp_path: Path, fixture_site: FixtureSite) -> None:
    server = ServerProcess(tmp_path)
    server.start()
    try:
        assert server.process is not None
        pid = server.process.pid
        # A forkserver is started with the server, for the first jobs; none came, so it
        # ends, and the zygote is left (no resource tracker beside it).
        wait_until(lambda: tree(pid) == ["ts-zygote"], 30)

        download(server, fixture_site.url("/watch/gen-0301"))
        # Once its idle workers have ended (3 s), the forkserver ends with them.
        wait_until(lambda: tree(pid) == ["ts-zygote"], 30)

        download(server, fixture_site.url("/watch/gen-0302"))  # and comes back for more
        assert "ts-forkserver" in tree(pid) or tree(pid) == ["ts-zygote"]
    finally:
        server.stop()
