"""Domain errors that carry their HTTP status; one middleware turns them into responses."""

from __future__ import annotations

import math


class AppError(Exception):
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(AppError):
    status = 400


class Unauthorized(AppError):
    status = 401


class Forbidden(AppError):
    status = 403


class NotFound(AppError):
    status = 404


class NotAcceptable(AppError):
    status = 406


class Conflict(AppError):
    status = 409


class TooLarge(AppError):
    status = 413


class TooManyRequests(AppError):
    """429, with the seconds to wait (sent as ``Retry-After``)."""

    status = 429

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, math.ceil(retry_after))
