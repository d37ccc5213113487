"""The YouTube cookie TubeArchivist's extension imports: kept in a private file and given
to the downloads this layer adds.

"Validated" means the text is a Netscape cookie file with at least one YouTube cookie in
it: checking it against YouTube needs the network, which the tests' machines never reach.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path

MAX_COOKIE = 1024 * 1024
FILE = "tubearchivist.cookies.txt"


def is_cookie_file(text: str) -> bool:
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) == 7 and fields[0].lstrip(".").endswith("youtube.com"):
            return True
    return False


def _write_private(path: Path, text: str) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")[:MAX_COOKIE]
    except OSError:
        return ""


@dataclass(slots=True)
class CookieJar:
    path: Path
    text: str = ""
    validated: float | None = None

    @classmethod
    async def open(cls, config_path: Path) -> CookieJar:
        path = config_path / FILE
        jar = cls(path, await asyncio.to_thread(_read, path))
        if jar.text and is_cookie_file(jar.text):
            jar.validated = await asyncio.to_thread(lambda: path.stat().st_mtime)
        return jar

    def state(self) -> dict[str, object]:
        stamp = self.validated
        return {
            "cookie_enabled": bool(self.text),
            "status": stamp is not None,
            "validated": int(stamp) if stamp else None,
            "validated_str": time.strftime("%Y-%m-%d %H:%M", time.gmtime(stamp)) if stamp else None,
        }

    def validate(self) -> bool:
        valid = bool(self.text) and is_cookie_file(self.text)
        self.validated = time.time() if valid else None
        return valid

    async def replace(self, text: str) -> bool:
        """Stores the cookie when it is one; False (nothing stored) when it is not."""
        if len(text) > MAX_COOKIE or not is_cookie_file(text):
            return False
        await asyncio.to_thread(_write_private, self.path, text)
        self.text = text
        self.validated = time.time()
        return True
