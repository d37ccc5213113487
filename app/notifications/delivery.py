"""Sending one notice to one target: a webhook over the shared session, or apprise in a
thread, each attempt under a timeout; 5xx answers, timeouts and connection failures are
tried again with backoff, anything else is final.

Nothing here logs a target's URL or headers (they may hold tokens); failures are told by
the target's id and name and the kind of error.
"""

from __future__ import annotations

import asyncio
import functools
import json
import time
import types
import uuid
import warnings
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import aiohttp
import yarl
from aiohttp.payload import BytesPayload
from multidict import CIMultiDict

from app.core.errors import AppError
from app.notifications.events import Notice
from app.notifications.models import NotificationModel, NotificationRequest
from app.notifications.network import check_apprise_url
from app.sandbox.network import NetworkPolicy


@dataclass(frozen=True, slots=True)
class Delivery:
    """How a notice fared at one target: delivered, or why not, after ``attempts``."""

    delivered: bool
    attempts: int
    error: str | None = None


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    timeout: float = 10.0  # seconds per attempt
    attempts: int = 3
    backoff: float = 1.0  # seconds before the 2nd attempt, doubled for each next one


DEFAULT_RETRY = RetryPolicy()


class Retryable(Exception):
    """A failure worth another attempt: a 5xx, a timeout, a refused connection."""


class Final(Exception):
    """A failure another attempt would repeat: a 4xx, a refused address, a bad URL."""


def envelope(notice: Notice, data_key: str) -> dict[str, Any]:
    """What a webhook receives (JSON body, or form fields with the data as JSON text)."""
    return {
        "id": uuid.uuid4().hex,
        "event": notice.name.value,
        "title": notice.title,
        "message": notice.message,
        "created_at": time.time(),
        data_key: notice.data,
    }


class _Encoded:
    """A notice's JSON, encoded once for all its targets: ``json_body`` splices in each
    target's own id, time and data key, giving the bytes ``json.dumps(envelope(...))``
    would, without encoding the data again for every target."""

    __slots__ = ("_middle", "data", "notice")

    def __init__(self, notice: Notice) -> None:
        self.notice = notice  # kept so that its id() is not reused while cached
        fields = {"event": notice.name.value, "title": notice.title, "message": notice.message}
        self._middle = json.dumps(fields)[1:-1]
        self.data = json.dumps(notice.data)

    def json_body(self, body: dict[str, Any], data_key: str) -> bytes:
        return "".join(
            (
                '{"id": ',
                json.dumps(body["id"]),
                ", ",
                self._middle,
                ', "created_at": ',
                json.dumps(body["created_at"]),
                ", ",
                json.dumps(data_key),
                ": ",
                self.data,
                "}",
            )
        ).encode()


class _Prepared:
    """What a webhook request needs that does not change from one notice to the next:
    built once per target version (an edited target is a new model, so a new entry)."""

    __slots__ = ("headers", "request", "url")

    def __init__(self, request: NotificationRequest) -> None:
        self.request = request  # kept so that its id() is not reused while cached
        self.url = yarl.URL(request.url)
        self.headers = CIMultiDict((h.key, h.value) for h in request.headers)


_CACHED = 256  # notices (and targets) whose encoding is kept: a lagging lane re-encodes


class Sender:
    """Delivers notices. ``session`` is the one shared session (its resolver applies the
    address policy); apprise runs on ``executor``, a few threads of its own, so a stuck
    apprise plugin cannot take the loop's default executor from everything else."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        executor: ThreadPoolExecutor,
        policy: NetworkPolicy,
        retry: RetryPolicy = DEFAULT_RETRY,
    ) -> None:
        self._session = session
        self._executor = executor
        self._policy = policy
        self._retry = retry
        self._timeout = aiohttp.ClientTimeout(total=retry.timeout)
        self._encoded: dict[int, _Encoded] = {}
        self._prepared: dict[int, _Prepared] = {}

    def _encode(self, notice: Notice) -> _Encoded:
        found = self._encoded.get(id(notice))
        if found is None or found.notice is not notice:
            if len(self._encoded) >= _CACHED:
                del self._encoded[next(iter(self._encoded))]  # the oldest
            found = self._encoded[id(notice)] = _Encoded(notice)
        return found

    def _prepare(self, request: NotificationRequest) -> _Prepared:
        found = self._prepared.get(id(request))
        if found is None or found.request is not request:
            if len(self._prepared) >= _CACHED:
                del self._prepared[next(iter(self._prepared))]
            found = self._prepared[id(request)] = _Prepared(request)
        return found

    async def deliver(self, target: NotificationModel, notice: Notice) -> Delivery:
        body = envelope(notice, target.request.data_key)  # one id for every attempt
        attempt = 0
        while True:
            attempt += 1
            try:
                await self._attempt(target.request, notice, body)
            except Retryable as e:
                if attempt >= self._retry.attempts:
                    return Delivery(False, attempt, str(e))
            except Final as e:
                return Delivery(False, attempt, str(e))
            except Exception as e:  # a plugin's bug: told by its type (messages may hold URLs)
                return Delivery(False, attempt, f"unexpected error ({type(e).__name__})")
            else:
                return Delivery(True, attempt)
            await asyncio.sleep(self._retry.backoff * 2 ** (attempt - 1))

    async def _attempt(
        self, request: NotificationRequest, notice: Notice, body: dict[str, Any]
    ) -> None:
        if request.is_webhook:
            await self._webhook(request, notice, body)
        else:
            await self._apprise(request.url, notice)

    async def _webhook(
        self, request: NotificationRequest, notice: Notice, body: dict[str, Any]
    ) -> None:
        try:
            self._policy.check_url(request.url)  # numeric hosts never reach the resolver
        except AppError as e:
            raise Final(f"address refused: {_first_line(e)}") from None
        prepared = self._prepare(request)
        encoded = self._encode(notice)
        data: Any
        if request.type == "form":
            fields = {k: v for k, v in body.items() if k != request.data_key}
            data = {**fields, request.data_key: encoded.data}
        else:  # as aiohttp's json= would send it, without encoding it again per target
            data = BytesPayload(
                encoded.json_body(body, request.data_key),
                content_type="application/json",
                encoding="utf-8",
            )
        try:
            async with self._session.request(
                request.method,
                prepared.url,
                headers=prepared.headers,
                timeout=self._timeout,
                allow_redirects=False,
                data=data,
            ) as answer:
                await answer.read()
                status = answer.status
        except TimeoutError:
            raise Retryable(f"no answer within {self._retry.timeout:g} s") from None
        except PermissionError as e:  # the resolver refused the address
            raise Final(f"address refused: {_first_line(e)}") from None
        except aiohttp.ClientConnectorError as e:
            if isinstance(e.os_error, PermissionError):
                raise Final(f"address refused: {_first_line(e.os_error)}") from None
            raise Retryable(f"cannot connect ({type(e.os_error).__name__})") from None
        except (aiohttp.ClientError, OSError) as e:
            raise Retryable(f"request failed ({type(e).__name__})") from None
        if status >= 500:
            raise Retryable(f"HTTP {status}")
        if status >= 300:
            raise Final(f"HTTP {status}")

    async def _apprise(self, url: str, notice: Notice) -> None:
        loop = asyncio.get_running_loop()
        call = _apprise_call(self._policy, url, notice)
        try:
            sent = await asyncio.wait_for(
                loop.run_in_executor(self._executor, call), self._retry.timeout
            )
        except TimeoutError:
            raise Retryable(f"apprise gave no answer within {self._retry.timeout:g} s") from None
        except (PermissionError, AppError) as e:
            raise Final(f"address refused: {_first_line(e)}") from None
        if sent is None:
            raise Final("apprise does not know this URL")
        if not sent:
            raise Retryable("apprise could not deliver it")


def _apprise_call(policy: NetworkPolicy, url: str, notice: Notice) -> Callable[[], bool | None]:
    def call() -> bool | None:
        apprise = _apprise()
        check_apprise_url(policy, url)
        sender = apprise.Apprise()
        if not sender.add(url):
            return None
        body = notice.message or notice.title
        return bool(sender.notify(body=body, title=notice.title))

    return call


@functools.cache
def _apprise() -> types.ModuleType:
    """apprise with its plugins loaded: heavy, so done in its thread, once, when first
    needed. Its e-mail plugin imports ``imghdr``, deprecated since Python 3.11; that
    warning is apprise's to fix, and must not turn a delivery into an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise
        from apprise.manager_plugins import NotificationManager

        NotificationManager().load_modules()  # type: ignore[no-untyped-call]
    return apprise


def _first_line(error: BaseException) -> str:
    return (str(error).splitlines() or [type(error).__name__])[0]
