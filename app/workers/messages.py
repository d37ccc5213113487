"""Every message that crosses a worker's pipe: one small frozen type per kind.

They are pickled on a local pipe, so they carry plain data only (info summaries stay dicts:
their keys are whatever yt-dlp found). Readers match on the type, never on a name::

    match message:
        case Progress() as progress: ...
        case Finished(filepath=path): ...

Three conversations share the pipe: the worker loop's own (``NextJob`` in, ``JobDone``
out), a job's reports to the server, and the server's commands to a probe that waits to
download (``Go``, ``Exit``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

# A job: a module-level function the worker calls with the job's data and its pipe.
Target = Callable[[Any, Connection], None]
Info = dict[str, Any]


# The worker loop.


@dataclass(frozen=True, slots=True)
class NextJob:
    """Server to an idle worker: run ``target(job, conn)`` next."""

    target: Target
    job: Any


@dataclass(frozen=True, slots=True)
class JobDone:
    """Worker to server: the job returned; the worker waits for the next one."""


# A probe that waits, after its video, for the server to say whether it downloads.


@dataclass(frozen=True, slots=True)
class Go:
    """Download the probed video with the same YoutubeDL and the info already extracted."""


@dataclass(frozen=True, slots=True)
class Exit:
    """The probed video will not be downloaded here: end the job."""


Command = Go | Exit


# What a probe found.


@dataclass(frozen=True, slots=True)
class Video:
    info: Info  # a summary: the fields the queue and conditions read


@dataclass(frozen=True, slots=True)
class Playlist:
    info: Info  # followed by Entries batches, then PlaylistEnd


@dataclass(frozen=True, slots=True)
class Entries:
    entries: list[Info]


@dataclass(frozen=True, slots=True)
class PlaylistEnd:
    seen: int  # entries read, up to the limit
    truncated: bool  # the playlist had more than the limit
    total: int | None = None  # entries the playlist has, the ones past the limit included


@dataclass(frozen=True, slots=True)
class Archived:
    """The probed URL's id is in the download archive: nothing to queue."""

    message: str


# A download's course.


@dataclass(frozen=True, slots=True)
class Progress:
    status: str | None  # yt-dlp's: "downloading", "finished", "error"
    downloaded_bytes: int | None
    total_bytes: int | None
    speed: float | None
    eta: float | None
    percent: float | None

    def __reduce__(self) -> tuple[type[Progress], tuple[Any, ...]]:
        # The frequent one: its fields as a tuple pickle in a third of the default's time.
        return Progress, (
            self.status,
            self.downloaded_bytes,
            self.total_bytes,
            self.speed,
            self.eta,
            self.percent,
        )


@dataclass(frozen=True, slots=True)
class Postprocessing:
    postprocessor: str | None


@dataclass(frozen=True, slots=True)
class Warned:
    """A yt-dlp warning (or the NFO's): shown on the item, the job goes on."""

    message: str


@dataclass(frozen=True, slots=True)
class Summary:
    """The downloaded video's summary, from the info yt-dlp processed."""

    info: Info


@dataclass(frozen=True, slots=True)
class Finished:
    filepath: str  # resolved, under the job's root
    size: int
    archived: bool = False  # yt-dlp recorded the video in the download archive


@dataclass(frozen=True, slots=True)
class Skipped:
    """The download found its id in the download archive and did nothing."""

    message: str


# Any job's end.


@dataclass(frozen=True, slots=True)
class Cancelled:
    """The job was interrupted (SIGINT) and stopped."""


@dataclass(frozen=True, slots=True)
class Failed:
    message: str
    # The cause may pass by itself (network, HTTP 5xx, 429): the queue may try again.
    transient: bool = False


# The tool jobs.


@dataclass(frozen=True, slots=True)
class Extracted:
    """A URL's full info, sanitized (yt-dlp's ``sanitize_info``)."""

    info: Info


@dataclass(frozen=True, slots=True)
class ArchiveIds:
    """Per URL, in order: ``{id, ie_key, archive_id, error}``."""

    ids: list[Info]


# The console.


@dataclass(frozen=True, slots=True)
class Output:
    """A line a console command printed: ``stream`` is "stdout" or "stderr"."""

    stream: str
    line: str


@dataclass(frozen=True, slots=True)
class Exited:
    """A console command ended with this exit code."""

    code: int


ProbeMessage = Video | Playlist | Entries | PlaylistEnd | Archived
DownloadMessage = Progress | Postprocessing | Warned | Summary | Finished | Skipped
ConsoleMessage = Output | Exited
JobMessage = (
    ProbeMessage | DownloadMessage | ConsoleMessage | Cancelled | Failed | Extracted | ArchiveIds
)
