"""Worker messages cross the pipe as they were sent: every kind survives pickling whole."""

from __future__ import annotations

import pickle
from typing import get_args

import pytest

from app.workers import messages as m


def a_job(job: object, conn: object) -> None:
    """A job target: it crosses the pipe by name, as every job's does."""


INFO = {"id": "v1", "title": "A video", "tags": ["a", "b"]}
EXAMPLES: list[object] = [
    m.NextJob(a_job, {"url": "https://example.invalid/"}),
    m.JobDone(),
    m.Go(),
    m.Exit(),
    m.Video(INFO),
    m.Playlist(INFO),
    m.Entries([INFO, INFO]),
    m.PlaylistEnd(seen=3, truncated=True),
    m.Archived("Already in the download archive."),
    m.Progress("downloading", 1024, 4096, 512.5, 6.0, 25.0),
    m.Progress(None, None, None, None, None, None),
    m.Postprocessing("FFmpegMerger"),
    m.Warned("a warning"),
    m.Summary(INFO),
    m.Finished("/downloads/a.mp4", 4096),
    m.Skipped("Already in the download archive."),
    m.Cancelled(),
    m.Failed("HTTP Error 404"),
    m.Extracted(INFO),
    m.ArchiveIds([{"id": "v1", "ie_key": "Generic", "archive_id": "generic v1", "error": None}]),
    m.Output("stderr", "ERROR: Unsupported URL"),
    m.Exited(1),
]


@pytest.mark.parametrize("message", EXAMPLES, ids=lambda message: type(message).__name__)
def test_a_message_survives_the_pipe(message: object) -> None:
    copy = pickle.loads(pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(copy) is type(message)
    assert copy == message


def test_every_job_message_kind_has_an_example() -> None:
    kinds = set(get_args(m.JobMessage)) | set(get_args(m.Command)) | {m.NextJob, m.JobDone}
    assert kinds == {type(message) for message in EXAMPLES}


def test_progress_matches_by_field() -> None:
    match m.Progress("finished", 10, 10, None, None, 100.0):
        case m.Progress(status="finished", percent=percent):
            assert percent == 100.0
        case _:
            pytest.fail("a Progress did not match its own pattern")
