"""TubeArchivist's paginate object at its 10,000-hit cap (Elasticsearch's result window,
``index_generic.Pagination.validate`` in its source): ``max_hits`` turns true, the total
stops at 10,000 and the last page is the one before the page that would cross it."""

from __future__ import annotations

from app import keys
from app.compat.tubearchivist.paging import MAX_HITS, PAGE_SIZE, TaPage
from app.downloads.models import Item, Status
from tests.conftest import Client
from tests.tubearchivist.client import TaClient

BATCH = 500


def generated(start: int, count: int) -> list[Item]:
    return [
        Item(
            url=f"https://example.com/{n}",
            id=f"gen-{n:05d}",
            extractor="Fixture",
            title=f"Generated {n}",
            status=Status.FINISHED,
            filename=f"gen-{n:05d}.mp4",
        )
        for n in range(start, start + count)
    ]


def test_the_cap_as_tubearchivist_computes_it() -> None:
    page = TaPage(1, PAGE_SIZE, "")
    below = page.paginate(MAX_HITS - 1)
    assert (below["max_hits"], below["total_hits"], below["last_page"]) == (False, 9999, 834)
    for total in (MAX_HITS, MAX_HITS + 1, 250_000):
        capped = page.paginate(total)
        # ceil(10000 / 12) = 834, less the page Elasticsearch would refuse.
        assert (capped["max_hits"], capped["total_hits"], capped["last_page"]) == (
            True,
            10_000,
            833,
        )
    assert TaPage(833, PAGE_SIZE, "").paginate(MAX_HITS)["next_pages"] == []
    assert TaPage(830, PAGE_SIZE, "").paginate(MAX_HITS)["next_pages"] == [831, 832, 833]
    assert TaPage(1, 10, "").paginate(MAX_HITS)["last_page"] == 999


async def test_a_library_past_ten_thousand_videos_pages_as_tubearchivist(
    ta: TaClient, client: Client
) -> None:
    library = client.app[keys.LIBRARY]
    for start in range(0, MAX_HITS - 1, BATCH):
        await library.add(generated(start, min(BATCH, MAX_HITS - 1 - start)))
    first = await ta.get("api/video/")
    assert first["paginate"]["max_hits"] is False
    assert (first["paginate"]["total_hits"], first["paginate"]["last_page"]) == (9999, 834)
    assert len((await ta.get("api/video/", params={"page": 834}))["data"]) == 3

    await library.add(generated(MAX_HITS - 1, 2))  # 10,001 videos
    first = await ta.get("api/video/")
    assert first["paginate"]["max_hits"] is True
    assert (first["paginate"]["total_hits"], first["paginate"]["last_page"]) == (10_000, 833)
    last = await ta.get("api/video/", params={"page": 833})
    assert len(last["data"]) == PAGE_SIZE and last["paginate"]["next_pages"] == []
    assert last["paginate"]["page_from"] == 832 * PAGE_SIZE
    for past in (834, 835, 5000):
        status, body = await ta.call("GET", "api/video/", params={"page": past})
        assert status == 404 and list(body) == ["detail"], past
    # A client paging until next_pages is empty stops at the cap, as with TubeArchivist.
    status, body = await ta.call("GET", "api/video/", params={"page": 828})
    assert status == 200 and body["paginate"]["next_pages"] == [829, 830, 831, 832, 833]
