"""Whatever a request says, yt-dlp writes nothing outside the download, temp and archive roots.

Every attack runs a real download from the fixture site. The roots live in the test's temp
folder beside would-be victims; the test compares every file outside the roots before and
after, so a write anywhere else fails it, not only at the path the attack aimed at.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest

from app import keys
from app.core.wire import EventName
from app.sandbox import landlock
from tests.conftest import EventLog, MakeClient, make_settings
from tests.fixtures.site import FixtureSite
from tests.integration.helpers import Client, finished, settled
from tests.integration.test_crash_recovery import wait_until
from tests.server_process import ROOT, ServerProcess

PRECIOUS = b"precious: never overwritten, never removed"

# Each is one member of a class: a path that only becomes "outside" when yt-dlp evaluates
# it (field defaults and replacements adding up to ".."), for each kind of file yt-dlp
# writes, through a symlink inside the root, or by rewriting the fields it reports.
ATTACKS = [
    pytest.param({"template": ".%(ext&.|)s/victim.%(ext)s"}, id="template-fields-make-dots"),
    pytest.param({"template": "%(id&..|)s/victim.%(ext)s"}, id="template-replacement-is-dots"),
    pytest.param(
        {"cli": "--write-info-json -o 'infojson:.%(x|)s./.%(x|)s./victim'"}, id="infojson"
    ),
    pytest.param({"cli": "--write-thumbnail -o 'thumbnail:.%(id&.|)s/victim'"}, id="thumbnail"),
    pytest.param(
        {"cli": "--write-description -o 'description:.%(id&.|)s/victim'"}, id="description"
    ),
    pytest.param({"cli": "--write-link -o 'link:.%(id&.|)s/victim'"}, id="link"),
    pytest.param(
        {"cli": "--force-overwrites", "template": ".%(ext&.|)s/precious.%(ext)s"},
        id="overwrite-existing-file",
    ),
    pytest.param({"template": "escape/victim.%(ext)s"}, id="symlink-inside-root"),
    pytest.param({"cli": "--parse-metadata 'title:(?P<filepath>.+)'"}, id="rewrite-filepath"),
    pytest.param({"cli": "--replace-in-metadata _filename x y"}, id="rewrite-filename"),
    pytest.param(
        {"cli": "--parse-metadata 'title:(?P<__files_to_move>.+)'"}, id="rewrite-internal"
    ),
    pytest.param({"cli": "--download-archive ../archive.txt"}, id="archive-climbs"),
]


def snapshot(top: Path, roots: tuple[Path, ...]) -> dict[str, str]:
    """Every file and folder under ``top`` outside ``roots``, with a digest of each file."""
    found: dict[str, str] = {}
    for path in sorted(top.rglob("*")):
        if any(path == root or root in path.parents for root in roots):
            continue
        if path.is_symlink() or path.is_dir():
            found[str(path)] = "link" if path.is_symlink() else "dir"
        else:
            found[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


class Victims:
    """A temp folder with the server's roots in it and files that must stay as they are."""

    def __init__(self, top: Path) -> None:
        self.top = top
        self.data = top / "outside" / "srv"
        self.roots = (self.data / "downloads", self.data / "tmp", self.data / "config")
        for root in self.roots:
            root.mkdir(parents=True)
        (self.data / "precious.mp4").write_bytes(PRECIOUS)
        (self.roots[0] / "escape").symlink_to(top / "outside", target_is_directory=True)
        self.before = snapshot(top, self.roots)

    def assert_untouched(self) -> None:
        assert snapshot(self.top, self.roots) == self.before


async def attempt(client: Client, events: EventLog, body: dict[str, Any]) -> str:
    """Adds the item; its fate: 'refused' (4xx) or the status it ended in."""
    response = await client.post("/api/history", json=body)
    if response.status == 400:
        return "refused"
    [answer] = await response.json()
    assert answer["status"] == "queued", answer  # stored as preparing, identified next
    result = await events.wait_for(settled(answer["item"]["_id"]))
    if result.event != EventName.ITEM_ADDED:
        return "refused"
    item = await finished(events, answer["item"]["_id"])
    return str(item["status"])


@pytest.mark.parametrize("fields", ATTACKS)
async def test_no_request_writes_outside_the_roots(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path, fields: dict[str, Any]
) -> None:
    victims = Victims(tmp_path)
    client = await make_client(make_settings(victims.data))
    events = EventLog(client.app[keys.WIRE])
    fate = await attempt(client, events, {"url": fixture_site.url("/watch/v-basic"), **fields})
    assert fate in ("refused", "error", "finished")
    victims.assert_untouched()


async def test_unsafe_options_do_not_lift_the_roots(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    """YTP_ALLOW_UNSAFE_OPTIONS lets absolute paths through the policy, not onto the disk."""
    victims = Victims(tmp_path)
    client = await make_client(make_settings(victims.data, allow_unsafe_options=True))
    events = EventLog(client.app[keys.WIRE])
    outside = tmp_path / "outside"
    for fields in (
        {"cli": f"-o '{outside}/absolute.%(ext)s'"},
        {"cli": f"--write-info-json -o 'infojson:{outside}/absolute'"},
        {"cli": f"--download-archive {outside}/archive.txt"},
        {"cli": f"--cache-dir {outside}/cache --rm-cache-dir"},
    ):
        url = fixture_site.url("/watch/v-second")
        fate = await attempt(client, events, {"url": url, **fields})
        assert fate in ("refused", "error", "finished"), fields
    victims.assert_untouched()


@pytest.mark.skipif(not landlock.abi_version(), reason="Landlock is not available here")
async def test_commands_run_by_yt_dlp_are_confined_too(
    make_client: MakeClient, fixture_site: FixtureSite, tmp_path: Path
) -> None:
    """--exec runs a shell, out of the audit hook's sight: the kernel refuses its writes."""
    victims = Victims(tmp_path)
    client = await make_client(make_settings(victims.data, allow_unsafe_options=True))
    events = EventLog(client.app[keys.WIRE])
    victim = tmp_path / "outside" / "exec-victim"
    for cli in (
        f"--exec 'echo pwned > {victim}'",
        f"--exec 'rm -f {victims.data / 'precious.mp4'}'",
        f"--exec 'mkdir {victim}-dir'",
    ):
        url = fixture_site.url("/watch/v-third")
        fate = await attempt(client, events, {"url": url, "cli": cli})
        assert fate in ("error", "finished"), cli
    victims.assert_untouched()


@pytest.mark.slow
def test_relative_paths_never_reach_the_app_folder(
    tmp_path: Path, fixture_site: FixtureSite
) -> None:
    """Run from a copy of the project, with var/ beside the code as `make run` has it.

    A relative --download-archive once appended a URL to app/nfo/xml.py, and a URL path can
    carry code. The working folder of a worker is its own, under the temp root.
    """
    project = tmp_path / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(ROOT / "app", project / "app", ignore=ignore)
    shutil.copy2(ROOT / "main.py", project / "main.py")
    code = snapshot(project, (project / "var",))
    env = {
        "YTP_CONFIG_PATH": "var/config",
        "YTP_DOWNLOAD_PATH": "var/downloads",
        "YTP_TEMP_PATH": "var/tmp",
    }
    with ServerProcess(tmp_path / "log", project=project, **env) as server:
        bodies = [
            {
                "url": fixture_site.url("/watch/v-basic"),
                "cli": "--download-archive app/ytdlp/nfo.py",
            },
            {"url": fixture_site.url("/watch/v-second"), "cli": "--download-archive main.py"},
            {"url": fixture_site.url("/watch/v-third"), "cli": "--write-info-json"},
        ]
        answer = server.post("/api/history", bodies)
        uids = {a["item"]["_id"] for a in answer}
        wait_until(lambda: uids <= done_ids(server))
        items = server.get("/api/history?type=done&per_page=10")["items"]
        assert {item["status"] for item in items} == {"finished"}, [
            i.get("error") or i.get("msg") for i in items
        ]
    assert snapshot(project, (project / "var",)) == code
    archives = project / "var" / "config" / "archives"
    assert (archives / "app" / "ytdlp" / "nfo.py").is_file()
    assert (archives / "main.py").is_file()


def done_ids(server: ServerProcess) -> set[str]:
    page = server.get("/api/history?type=done&per_page=50")
    return {item["_id"] for item in page["items"]}
