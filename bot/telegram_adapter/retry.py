"""Retrying Bot API calls: network errors and 5xx are worth another try; Telegram's refusals are not.

A send that timed out after the request went out may well have reached Telegram (Telegram has no
idempotency key), so it is not sent again: `uncertain` tells that case apart from a connection that never
opened, which is safe to retry.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

SEND_ATTEMPTS = 3
RETRY_DELAYS = (0.5, 2.0)
MAX_INLINE_WAIT = 5.0  # a retry_after up to this is waited out in place; a longer one is the caller's to plan

T = TypeVar("T")
logger = logging.getLogger("bot")


def uncertain(error: BaseException) -> bool:
    """A timeout after the request was sent: Telegram may have acted on it, so sending again could repeat it."""
    return isinstance(error, TimedOut) and not isinstance(error.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


def _transient(error: Exception, idempotent: bool) -> bool:
    """Network trouble and 5xx are worth another try; Telegram's refusals (400, 403, migration) are not, nor
    a send that may have arrived."""
    if not isinstance(error, NetworkError) or isinstance(error, BadRequest):
        return False
    return idempotent or not uncertain(error)


def seconds(value: object) -> float:
    """retry_after is seconds today and a timedelta in a future python-telegram-bot."""
    if isinstance(value, timedelta):
        return value.total_seconds()
    return float(value) if isinstance(value, int | float) else 1.0


async def with_retries(call: Callable[[], Awaitable[T]], *, idempotent: bool = False) -> T:
    """A Bot API call retried on network errors and 5xx; a short retry_after is waited out, a long one raised.
    `idempotent` calls (reads, answering a button, an edit) are retried after a timeout too; sends are not."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await call()
        except RetryAfter as error:
            if seconds(error.retry_after) > MAX_INLINE_WAIT or attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(seconds(error.retry_after))
        except Exception as error:
            if not _transient(error, idempotent) or attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
    return await call()


class Later:
    """Sends that Telegram asked to hold back for longer than `MAX_INLINE_WAIT` (a 429 for one chat): each
    waits in the background, so no handler and no other chat waits with it. They are given up at shutdown
    (counted in the log), so a long retry_after never delays stopping."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def send(self, delay: float, call: Callable[[], Coroutine[Any, Any, object]]) -> None:
        task = asyncio.get_running_loop().create_task(self._after(delay, call))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _after(delay: float, call: Callable[[], Coroutine[Any, Any, object]]) -> None:
        for _ in range(SEND_ATTEMPTS):
            await asyncio.sleep(delay)
            try:
                await with_retries(call)
                return
            except RetryAfter as error:
                delay = seconds(error.retry_after)
            except Exception as error:
                logger.warning("a held-back reply could not be sent: %s", type(error).__name__)
                return
        logger.warning("a held-back reply was given up after %d waits", SEND_ATTEMPTS)

    async def close(self) -> None:
        if self._tasks:
            logger.warning("stopping: %d held-back replies are not sent", len(self._tasks))
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
