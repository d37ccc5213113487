"""The scheduling state machine on its own: no processes, no event loop, no database."""

from __future__ import annotations

from app.downloads.models import Item, Status
from app.downloads.runner import Outcome, StopReason
from app.downloads.scheduling import After, Limits, Schedule, Settlement, retry_delay, settle


def item(name: str, site: str = "one", **fields: object) -> Item:
    values: dict[str, object] = {"status": Status.PENDING, **fields}
    return Item(url=f"https://{site}.example/{name}", extractor=site, title=name, **values)


def names(items: list[Item]) -> list[str | None]:
    return [i.title for i in items]


def test_starts_in_queue_order_up_to_the_worker_limit() -> None:
    schedule = Schedule(Limits(workers=2, per_extractor=5))
    queue = [item("a"), item("b", "two"), item("c", "three")]
    assert names(schedule.startable(queue)) == ["a", "b"]


def test_running_downloads_take_their_slots() -> None:
    schedule = Schedule(Limits(workers=2, per_extractor=5))
    queue = [item("a"), item("b"), item("c")]
    schedule.began(queue[0])
    assert names(schedule.startable(queue)) == ["b"]
    schedule.ended(queue[0].uid)
    assert names(schedule.startable(queue)) == ["a", "b"]


def test_a_site_over_its_limit_is_passed_over_not_waited_for() -> None:
    schedule = Schedule(Limits(workers=3, per_extractor=1))
    queue = [item("a"), item("b"), item("c", "two"), item("d", "two")]
    assert names(schedule.startable(queue)) == ["a", "c"]


def test_the_site_limit_counts_running_downloads_case_blind() -> None:
    schedule = Schedule(Limits(workers=3, per_extractor=1))
    schedule.began(item("running", "One"))
    queue = [item("a", "one"), item("b", "two")]
    assert names(schedule.startable(queue)) == ["b"]


def test_only_pending_auto_start_items_start() -> None:
    schedule = Schedule(Limits(workers=5, per_extractor=5))
    queue = [
        item("paused", auto_start=False),
        item("preparing", status=Status.PREPARING),
        item("fresh", status=None),
        item("ready"),
    ]
    assert names(schedule.startable(queue)) == ["ready"]


def test_a_paused_queue_starts_nothing_and_keeps_no_probe_warm() -> None:
    schedule = Schedule(Limits(workers=5, per_extractor=5), paused=True)
    queue = [item("a")]
    assert schedule.startable(queue) == []
    assert not schedule.may_start(queue[0])
    schedule.paused = False
    assert names(schedule.startable(queue)) == ["a"]
    assert schedule.may_start(queue[0])
    assert not schedule.may_start(item("held", auto_start=False))


def test_a_running_item_is_not_started_twice() -> None:
    schedule = Schedule(Limits(workers=5, per_extractor=5))
    queue = [item("a")]
    schedule.began(queue[0])
    assert schedule.startable(queue) == []


def test_settling_a_stopped_download() -> None:
    stopped = Outcome(None)
    assert settle(StopReason.SHUTDOWN, stopped) == Settlement(After.KEEP)
    assert settle(StopReason.SHUTDOWN, Outcome(Status.FINISHED)) == Settlement(After.KEEP)
    assert settle(StopReason.DELETE, stopped) == Settlement(After.DROP, discard_temp=True)
    assert settle(StopReason.PAUSE, stopped) == Settlement(After.REQUEUE)
    assert settle(StopReason.CANCEL, stopped) == Settlement(
        After.FINISH, discard_temp=True, status=Status.CANCELLED
    )
    assert settle(None, stopped) == Settlement(After.KEEP)


def test_settling_a_download_that_ended_by_itself() -> None:
    for status in (Status.FINISHED, Status.ERROR, Status.SKIP):
        assert settle(None, Outcome(status)) == Settlement(After.FINISH, status=status)
    assert settle(None, Outcome(Status.CANCELLED)) == Settlement(
        After.FINISH, discard_temp=True, status=Status.CANCELLED
    )
    # A pause that came too late: the download had already finished.
    assert settle(StopReason.PAUSE, Outcome(Status.FINISHED)).after == After.FINISH


def test_an_item_started_now_passes_the_limits_and_the_pause() -> None:
    schedule = Schedule(Limits(workers=1, per_extractor=1))
    queue = [item("a"), item("b"), item("c")]
    schedule.began(queue[0])
    assert names(schedule.startable(queue)) == []
    schedule.start_now(queue[2].uid)
    assert names(schedule.startable(queue)) == ["c"]
    assert names(schedule.startable(queue)) == []  # once: it is not started twice
    schedule.paused = True
    schedule.start_now(queue[1].uid)
    assert names(schedule.startable(queue)) == ["b"]


def test_an_item_started_now_takes_a_slot_from_the_others() -> None:
    schedule = Schedule(Limits(workers=2, per_extractor=5))
    queue = [item("a"), item("b"), item("c")]
    schedule.start_now(queue[2].uid)
    assert names(schedule.startable(queue)) == ["c", "a"]


def test_a_held_retry_waits_for_its_time_and_others_pass_it() -> None:
    schedule = Schedule(Limits(workers=1, per_extractor=5))
    queue = [item("retry"), item("next")]
    schedule.hold(queue[0].uid, until=100.0)
    assert schedule.next_release() == 100.0
    assert names(schedule.startable(queue, now=50.0)) == ["next"]
    assert names(schedule.startable(queue, now=100.0)) == ["retry"]
    schedule.began(queue[0])
    assert schedule.next_release() is None


def test_starting_now_ends_the_hold_and_forgetting_clears_both() -> None:
    schedule = Schedule(Limits(workers=1, per_extractor=5))
    queue = [item("a")]
    schedule.hold(queue[0].uid, until=100.0)
    schedule.start_now(queue[0].uid)
    assert schedule.next_release() is None
    schedule.forget(queue[0].uid)
    assert names(schedule.startable(queue, now=0.0)) == ["a"]
    assert schedule.now == set()


def test_retry_delays_double_up_to_an_hour() -> None:
    assert [retry_delay(n, 30.0) for n in (1, 2, 3)] == [30.0, 60.0, 120.0]
    assert retry_delay(20, 30.0) == 3600.0
    assert retry_delay(3, 0.0) == 0.0


def test_a_transient_error_is_retried_while_retries_are_left() -> None:
    transient = Outcome(Status.ERROR, error="HTTP Error 503", transient=True)
    assert settle(None, transient, retries_left=1) == Settlement(After.RETRY)
    failed = Settlement(After.FINISH, status=Status.ERROR)
    out_of_retries = Settlement(After.FINISH, discard_temp=True, status=Status.ERROR)
    assert settle(None, transient, retries_left=0) == out_of_retries
    assert settle(None, Outcome(Status.ERROR, error="HTTP Error 404"), retries_left=3) == failed
    # A cancel while it fails is still a cancel.
    cancelled = settle(StopReason.CANCEL, Outcome(None), retries_left=3)
    assert cancelled.status == Status.CANCELLED
