"""Token buckets per key: a burst of ``capacity``, refilled evenly over ``window`` seconds."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass


@dataclass(slots=True)
class _Bucket:
    tokens: float
    at: float


class TokenBuckets:
    """yt-dlp-host's REQUEST_LIMIT per TASK_CLEANUP_TIME, as a bucket per key.

    The buckets of keys that were revoked are dropped with ``forget``; the number of keys
    is bounded by the key table, so memory is too.
    """

    def __init__(self, capacity: int, window: float, clock: Callable[[], float]) -> None:
        self._capacity = float(capacity)
        self._rate = capacity / window  # tokens per second
        self._clock = clock
        self._buckets: dict[Hashable, _Bucket] = {}

    def take(self, key: Hashable) -> float | None:
        """Takes one token; None when it was there, else the seconds until one is."""
        now = self._clock()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = _Bucket(self._capacity, now)
        bucket.tokens = min(self._capacity, bucket.tokens + (now - bucket.at) * self._rate)
        bucket.at = now
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return None
        return (1 - bucket.tokens) / self._rate

    def forget(self, key: Hashable) -> None:
        self._buckets.pop(key, None)
