"""``FileService``: the file API's rules over the download folder.

Everything that touches the disk (stat, scandir, renames, reading for a ZIP) runs in a
worker thread; ffprobe runs as a child process. Paths are the browser's: from the download
root, a leading ``/`` being the root itself.
"""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncGenerator, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from app.core.errors import Forbidden, InvalidInput, NotFound
from app.core.pagination import Page
from app.core.paths import open_file_under, resolve_under, rooted_parts
from app.downloads.service import Downloads
from app.files import sidecars, zips
from app.files.actions import FileAction, FileActions
from app.files.kinds import mime_from_probe
from app.files.listing import ListingCache, SortBy, SortOrder, public
from app.files.probe import Prober, with_groups


@dataclass(frozen=True, slots=True)
class Browse:
    page: Page
    sort_by: SortBy = "name"
    sort_order: SortOrder = "asc"
    search: str = ""


@dataclass(frozen=True, slots=True)
class ZipDownload:
    size: int
    chunks: AsyncGenerator[bytes, None]


class FileService:
    def __init__(
        self,
        root: Path,
        downloads: Downloads,
        *,
        browser_enabled: bool,
        control_enabled: bool,
    ) -> None:
        self._root = root.resolve()
        self._downloads = downloads
        self._browser_enabled = browser_enabled
        self._control_enabled = control_enabled
        self._listings = ListingCache(self._root)
        self._prober = Prober()
        self._tokens = zips.Tokens()
        self._actions = FileActions(self._root)

    # -- reading ----------------------------------------------------------------------------

    async def ffprobe(self, text: str) -> dict[str, Any]:
        _path, fd, key = await asyncio.to_thread(self._open_media, text)
        try:
            return with_groups(await self._prober.probe(key, fd))
        finally:
            os.close(fd)

    async def info(self, text: str) -> dict[str, Any]:
        """ffprobe's answer (empty for what it cannot read), a MIME type and the sidecars."""
        path, fd, key = await asyncio.to_thread(self._open_media, text)
        try:
            probed = with_groups(await self._prober.probe(key, fd))
        except InvalidInput:
            probed = with_groups({})
        finally:
            os.close(fd)
        listing = await asyncio.to_thread(self._listings.get, path.parent)
        folder = self._rel(path.parent)
        return {
            "title": path.stem,
            "ffprobe": probed,
            "mimetype": mime_from_probe(str(probed["format"].get("format_name", "")), path.name),
            "sidecar": sidecars.find(path.name, folder, listing.entries),
        }

    async def browse(self, text: str, browse: Browse) -> dict[str, Any]:
        if not self._browser_enabled:
            raise Forbidden("File browser is disabled.")
        return await asyncio.to_thread(self._browse, text, browse)

    def _browse(self, text: str, browse: Browse) -> dict[str, Any]:
        folder = self._resolve(text)
        if not folder.exists():
            raise NotFound(f"path '{text}' does not exist.")
        if not folder.is_dir():
            raise InvalidInput(f"path '{text}' is not a directory.")
        listing = self._listings.get(folder)
        found = listing.ordered(browse.sort_by, browse.sort_order, browse.search.casefold())
        page = browse.page
        rel = self._rel(folder)
        pagination = page.envelope(len(found))
        pagination["total_pages"] = max(1, pagination["total_pages"])  # 1 for an empty list
        return {
            "path": f"/{rel}" if rel else "/",
            "contents": [public(e, rel) for e in found[page.offset : page.offset + page.per_page]],
            "pagination": pagination,
        }

    # -- changing ---------------------------------------------------------------------------

    def check_control(self) -> None:
        if not self._control_enabled:
            raise Forbidden("File browser actions are disabled.")

    async def act(self, actions: list[FileAction]) -> list[dict[str, Any]]:
        """Runs each action on its own; history items follow what moved or went."""
        self.check_control()
        outcome = await asyncio.to_thread(self._actions.run, actions)
        for folder in outcome.touched:
            self._listings.forget(folder)
        if outcome.moves:
            await self._downloads.files_moved(outcome.moves)
        if outcome.deleted:
            await self._downloads.files_deleted(outcome.deleted)
        return outcome.results

    # -- ZIP downloads ----------------------------------------------------------------------

    async def prepare_zip(self, body: Any) -> dict[str, Any]:
        """A token for a ZIP of these files, their sidecars and the files of these folders."""
        if not isinstance(body, list):
            raise InvalidInput("Invalid parameters: expected a JSON array of paths.")
        names = [n for n in body[: zips.MAX_FILES] if isinstance(n, str)]
        files = await asyncio.to_thread(self._selection, names)
        if not files:
            raise InvalidInput("No valid files.")
        return {"token": self._tokens.issue(files), "files": list(files)}

    async def zip(self, token: str) -> ZipDownload:
        files = self._tokens.files(token)
        chunks, size, count = await asyncio.to_thread(zips.archive, self._root, files)
        if not count:
            raise InvalidInput("No valid files.")
        return ZipDownload(size, _in_thread(chunks))

    def _selection(self, names: list[str]) -> tuple[str, ...]:
        chosen: dict[str, None] = {}
        for name in names:
            try:
                path = self._resolve(name)
            except InvalidInput:
                continue
            if path.is_dir():
                chosen.update(dict.fromkeys(self._files_in(path)))
            elif path.is_file():
                chosen[self._rel(path)] = None
                chosen.update(dict.fromkeys(self._sidecars_of(path)))
            if len(chosen) >= zips.MAX_FILES:
                break
        return tuple(chosen)[: zips.MAX_FILES]

    def _sidecars_of(self, path: Path) -> list[str]:
        listing = self._listings.get(path.parent)
        folder = self._rel(path.parent)
        names = [e.name for e in listing.entries if not e.is_dir]
        return [f"{folder}/{n}" if folder else n for n in sidecars.sidecar_names(path.name, names)]

    def _files_in(self, folder: Path) -> Iterator[str]:
        count = 0
        for current, dirs, files in os.walk(folder):  # symlinked folders are not entered
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in sorted(files):
                path = Path(current, name)
                if name.startswith(".") or not path.is_file():
                    continue
                try:
                    yield self._rel(resolve_under(self._root, self._rel(path)))
                except InvalidInput:
                    continue  # a link out of the root
                count += 1
                if count >= zips.MAX_FILES:
                    return

    # -- paths ------------------------------------------------------------------------------

    async def canonical(self, text: str) -> str | None:
        """Where a file named this way really is, when that is not how it was named: the
        path without extra slashes or dots, or another file of the same video (its
        ``[id]``) in the same folder. None when the name is right or nothing is found."""
        return await asyncio.to_thread(self._canonical, text)

    def _canonical(self, text: str) -> str | None:
        path = self._resolve(text)
        if path.is_file():
            rel = self._rel(path)
            return rel if rel != text else None
        if not path.parent.is_dir():
            return None
        names = [e.name for e in self._listings.get(path.parent).entries if not e.is_dir]
        other = same_video(path.name, names)
        return self._rel(path.parent / other) if other else None

    def _resolve(self, text: str) -> Path:
        return resolve_under(self._root, "/".join(rooted_parts(text)))

    def _open_media(self, text: str) -> tuple[Path, int, tuple[str, int, int]]:
        """The file, a descriptor opened where it was checked, and its version's key."""
        path = self._resolve(text)
        if not path.exists():
            raise NotFound(f"File '{text}' does not exist.")
        if not path.is_file():
            raise InvalidInput(f"'{text}' is not a file.")
        fd = open_file_under(self._root, path)
        st = os.fstat(fd)
        return path, fd, (str(path), st.st_mtime_ns, st.st_size)

    def _rel(self, path: Path) -> str:
        rel = PurePosixPath(path.relative_to(self._root)).as_posix()
        return "" if rel == "." else rel


async def _in_thread(chunks: Iterator[bytes]) -> AsyncGenerator[bytes, None]:
    """Pulls a blocking iterator one chunk at a time in a worker thread; closing this closes
    it (and the file it reads) whatever ends the download."""
    try:
        while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
            yield chunk
    finally:
        await asyncio.to_thread(_close, chunks)


def _close(chunks: Iterator[bytes]) -> None:
    close = getattr(chunks, "close", None)
    if close is not None:
        close()


_VIDEO_ID = re.compile(r"\[([A-Za-z0-9_-]{1,64})\][^\[\]]*$")


def same_video(name: str, names: list[str]) -> str | None:
    """Another file of the same video: its name holds the same ``[id]`` and extension
    (a title changed since the link was made)."""
    found = _VIDEO_ID.search(PurePosixPath(name).stem)
    suffix = PurePosixPath(name).suffix
    if not found:
        return None
    tag = f"[{found.group(1)}]"
    return next((n for n in sorted(names) if tag in n and n.endswith(suffix)), None)
