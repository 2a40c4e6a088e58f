"""Retrying Bot API calls: network errors and 5xx are worth another try; Telegram's refusals are not."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from telegram.error import BadRequest, NetworkError, RetryAfter

SEND_ATTEMPTS = 3
RETRY_DELAYS = (0.5, 2.0)

T = TypeVar("T")


def _transient(error: Exception) -> bool:
    """Network trouble and 5xx are worth another try; Telegram's refusals (400, 403, migration) are not."""
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def _seconds(value: object) -> float:
    """retry_after is seconds today and a timedelta in a future python-telegram-bot."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0


async def with_retries(call: Callable[[], Awaitable[T]]) -> T:
    """A Bot API call retried on network errors and 5xx (the rate limiter already waits out 429)."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await call()
        except RetryAfter as error:  # only reaches here with the rate limiter off
            await asyncio.sleep(_seconds(error.retry_after))
        except Exception as error:
            if not _transient(error) or attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
    return await call()
