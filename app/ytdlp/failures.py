"""Which download failures may pass by themselves, decided in the worker from yt-dlp's own
exception classes, with its messages as the fallback where it reports an error without
the exception (a download that gave up after its own retries)."""

from __future__ import annotations

import re

_MAX_CHAIN = 10
# yt-dlp's wording for a server error or too many requests, and for a dropped connection.
_TRANSIENT_TEXT = re.compile(
    r"HTTP Error (5\d\d|429)\b|Giving up after \d+ retries|timed out|Connection reset"
    r"|Temporary failure in name resolution|IncompleteRead",
    re.IGNORECASE,
)

# Every refusal of the address policy names this setting.
_REFUSED = "YTP_ALLOW_INTERNAL_URLS"


def is_transient(exc: BaseException | None, message: str = "") -> bool:
    """Whether trying again later may succeed: a network error, HTTP 5xx or 429."""
    causes = _causes(exc)
    if any(_never(cause) for cause in causes) or _REFUSED in message:
        return False
    for cause in causes:
        verdict = _verdict(cause)
        if verdict is not None:
            return verdict
    return bool(_TRANSIENT_TEXT.search(message))


def _causes(exc: BaseException | None) -> list[BaseException]:
    """The exception, what yt-dlp wrapped in it, and its causes, nearest first."""
    seen: list[BaseException] = []
    while exc is not None and exc not in seen and len(seen) < _MAX_CHAIN:
        seen.append(exc)
        exc_info = getattr(exc, "exc_info", None)
        wrapped = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) > 1 else None
        cause = getattr(exc, "cause", None)
        exc = next(
            (e for e in (wrapped, cause, exc.__cause__, exc.__context__) if e is not None),
            None,
        )
    return seen


def _never(exc: BaseException) -> bool:
    """A refusal of ours (an address, a path) or a bad certificate: trying again won't help."""
    from yt_dlp.networking.exceptions import CertificateVerifyError

    return isinstance(exc, PermissionError | CertificateVerifyError)


def _verdict(exc: BaseException) -> bool | None:
    """True or False when this exception decides it; None to look further."""
    from yt_dlp.networking.exceptions import HTTPError, TransportError
    from yt_dlp.utils import ContentTooShortError

    if isinstance(exc, HTTPError):
        status = int(exc.status)
        return status == 429 or 500 <= status < 600
    if isinstance(exc, TransportError | ContentTooShortError | ConnectionError | TimeoutError):
        return True
    return None
