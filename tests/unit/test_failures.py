"""Which failures the worker reports as transient, from yt-dlp's exceptions and messages."""

from __future__ import annotations

from yt_dlp.networking.common import Response
from yt_dlp.networking.exceptions import CertificateVerifyError, HTTPError, TransportError
from yt_dlp.utils import DownloadError, ExtractorError

from app.sandbox.network import RefusedAddress
from app.ytdlp.failures import is_transient


def http_error(status: int) -> HTTPError:
    import io

    return HTTPError(Response(io.BytesIO(b""), "https://x.example/", {}, status=status))


def wrapped(cause: BaseException) -> DownloadError:
    """As yt-dlp raises it: the original in exc_info."""
    return DownloadError(f"ERROR: {cause}", exc_info=(type(cause), cause, None))


def test_server_errors_rate_limits_and_network_errors_are_transient() -> None:
    assert is_transient(wrapped(http_error(503)))
    assert is_transient(wrapped(http_error(429)))
    assert is_transient(wrapped(TransportError("connection reset")))
    assert is_transient(ExtractorError("fetch failed", cause=http_error(502)))


def test_client_errors_refusals_and_bad_certificates_are_not() -> None:
    assert not is_transient(wrapped(http_error(404)))
    assert not is_transient(wrapped(http_error(403)))
    assert not is_transient(wrapped(CertificateVerifyError("bad certificate")))
    refused = TransportError("refused")
    refused.__cause__ = RefusedAddress("Connection refused: 127.0.0.1 is loopback.")
    assert not is_transient(wrapped(refused))
    assert not is_transient(ValueError("refused: the file name leaves the download path"))


def test_the_message_decides_when_yt_dlp_kept_no_exception() -> None:
    gave_up = "unable to download video data: HTTP Error 500: Internal Server Error"
    assert is_transient(DownloadError(gave_up), gave_up)
    assert is_transient(None, "Giving up after 10 retries")
    assert not is_transient(None, "HTTP Error 404: Not Found")
    refused = "Connection refused: ... set YTP_ALLOW_INTERNAL_URLS=true"
    assert not is_transient(TransportError("x"), refused)
