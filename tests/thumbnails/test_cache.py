"""The disk cache on its own: least recently used out first, bounded, rebuilt at start."""

from __future__ import annotations

from pathlib import Path

from app.thumbnails.cache import BLOCK, ThumbnailCache, key_of

IMAGE = b"\xff\xd8\xff" + bytes(BLOCK)  # just over one block


def names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


async def test_the_least_recently_used_goes_first(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path, max_bytes=len(IMAGE) * 2)
    await cache.open()
    await cache.put("a", IMAGE)
    await cache.put("b", IMAGE)
    assert await cache.get("a") == IMAGE  # a is now the most recent
    await cache.put("c", IMAGE)
    assert await cache.get("b") is None
    assert names(tmp_path) == {key_of("a"), key_of("c")}
    assert cache.total == len(IMAGE) * 2
    assert len(cache) == 2


async def test_small_files_count_a_block_and_big_ones_are_not_kept(tmp_path: Path) -> None:
    cache = ThumbnailCache(tmp_path, max_bytes=BLOCK * 3)
    await cache.open()
    for n in range(5):
        await cache.put(f"tiny{n}", b"GIF89a")
    assert len(cache) == 3
    await cache.put("huge", bytes(BLOCK * 4))
    assert await cache.get("huge") is None
    assert len(names(tmp_path)) == 3


async def test_a_restart_keeps_the_order_and_clears_half_written_files(tmp_path: Path) -> None:
    first = ThumbnailCache(tmp_path, max_bytes=len(IMAGE) * 2)
    await first.open()
    await first.put("old", IMAGE)
    await first.put("new", IMAGE)
    assert await first.get("old") == IMAGE  # touched: now the newer of the two
    (tmp_path / ".part-0123").write_bytes(b"cut short")
    (tmp_path / "not-ours").write_bytes(b"left alone")

    second = ThumbnailCache(tmp_path, max_bytes=len(IMAGE) * 2)
    await second.open()
    assert ".part-0123" not in names(tmp_path)
    assert "not-ours" in names(tmp_path)
    await second.put("third", IMAGE)
    assert await second.get("new") is None
    assert await second.get("old") == IMAGE


async def test_size_zero_keeps_nothing_and_forgets_what_was_kept(tmp_path: Path) -> None:
    kept = ThumbnailCache(tmp_path, max_bytes=len(IMAGE))
    await kept.open()
    await kept.put("a", IMAGE)
    off = ThumbnailCache(tmp_path, max_bytes=0)
    await off.open()
    await off.put("b", IMAGE)
    assert await off.get("a") is None
    assert await off.get("b") is None
    assert not any(p.name in (key_of("a"), key_of("b")) for p in tmp_path.iterdir())
