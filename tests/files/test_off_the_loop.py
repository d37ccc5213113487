"""The file API never blocks the loop: listings, probes, actions and ZIPs, under the guard."""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.blocking import loop_guard
from tests.conftest import Client
from tests.files.helpers import act, listing, touch
from tests.fixtures.media import MediaLibrary
from tests.integration.helpers import call


async def _everything(client: Client, round: int) -> None:
    await listing(client, "big", sort_by="date", search="1")
    await listing(client, "big", sort_by="name", page=2)
    await call(client, "GET", "/api/file/ffprobe/clip.mp4")
    await call(client, "GET", "/api/file/info/clip.mp4")
    token = (await call(client, "POST", "/api/file/download", json=["clip.mp4", "big"]))["token"]
    response = await client.get(f"/api/file/download/{token}")
    assert response.status == 200 and len(await response.read()) > 0
    redirect = await client.get("/api/download/Old%20%5Bv%5D.txt", allow_redirects=False)
    assert redirect.status == 302
    results = await act(
        client,
        {"action": "directory", "path": "/", "new_dir": f"made-{round}"},
        {"action": "rename", "path": "clip.mp4", "new_name": f"clip-{round}.mp4"},
        {"action": "rename", "path": f"clip-{round}.mp4", "new_name": "clip.mp4"},
        {"action": "move", "path": "clip.mp4", "new_path": f"made-{round}"},
        {"action": "move", "path": f"made-{round}/clip.mp4", "new_path": "/"},
        {"action": "delete", "path": f"made-{round}"},
    )
    assert all(r["ok"] for r in results), results


async def test_the_file_api_does_not_block_the_loop(
    client: Client, root: Path, media_library: MediaLibrary
) -> None:
    shutil.copyfile(media_library.path("clip.mp4"), root / "clip.mp4")
    touch(root / "New [v].txt")
    for index in range(1200):
        touch(root / "big" / f"{index}.txt")
    await _everything(client, 0)  # once-per-process costs (imports, mimetypes) come first
    touch(root / "big" / "changed.txt")  # the next listing scans again, under the guard
    with loop_guard() as blocking_calls:
        await _everything(client, 1)
    assert blocking_calls == []
