"""Telegram's flood limits, kept before sending, and Telegram's 429s, kept per chat."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from contextlib import AbstractAsyncContextManager, nullcontext
from typing import Any

from aiolimiter import AsyncLimiter
from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from bot.telegram_adapter.retry import MAX_INLINE_WAIT, seconds

logger = logging.getLogger("bot")

Result = bool | dict[str, Any] | list[dict[str, Any]]


class MessageRateLimiter(BaseRateLimiter[int]):
    """Telegram's flood limits, kept in any window rather than on average, and its 429s kept per chat.

    PTB's `AIORateLimiter` lets a full bucket and its refill through together (up to 60 messages in the first
    second), and on any 429 it holds back every request of the bot until the wait is over. Here the overall
    bucket holds one and refills 29 times a second (never over 30 in a second), a group's holds 5 and refills
    15 a minute (never over 20 in a minute, with room for a short exchange), and a 429 pauses only the chat it
    was for: a wait up to `MAX_INLINE_WAIT` is waited out in place, a longer one is raised as `RetryAfter` at
    once (the caller holds the send back or retries later) — and so is any send to that chat until the pause
    is over. Only messages count against a group; looking up a member does not.
    """

    MESSAGE_METHODS = ("send", "edit", "copy", "forward")
    MAX_RETRIES = 3

    def __init__(self) -> None:
        self._overall = AsyncLimiter(1, 1 / 29)
        self._groups: dict[int | str, AsyncLimiter] = {}
        self._paused_until: dict[int | str, float] = {}  # chat → monotonic time its 429 is over

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def paused_for(self, chat_id: int | str) -> float:
        """Seconds left of the 429 for this chat (0 if none)."""
        return max(0.0, self._paused_until.get(chat_id, 0.0) - time.monotonic())

    def _group(self, chat_id: int | str | None) -> AbstractAsyncContextManager[Any]:
        if chat_id is None or (isinstance(chat_id, int) and chat_id > 0):
            return nullcontext()
        if len(self._groups) > 512:  # forget the buckets of groups that have been quiet long enough to be full
            for key, limiter in list(self._groups.items()):
                if limiter.has_capacity(limiter.max_rate):
                    del self._groups[key]
        return self._groups.setdefault(chat_id, AsyncLimiter(5, 20))

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Result]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        message = endpoint.lower().startswith(self.MESSAGE_METHODS)
        chat_id: int | str | None = data.get("chat_id") if message else None
        if isinstance(chat_id, str) and chat_id.lstrip("-").isdigit():
            chat_id = int(chat_id)
        for attempt in range(self.MAX_RETRIES + 1):
            if chat_id is not None and (left := self.paused_for(chat_id)):
                if left > MAX_INLINE_WAIT:
                    raise RetryAfter(max(1, round(left)))
                await asyncio.sleep(left)
            try:
                async with self._group(chat_id), self._overall if message else nullcontext():
                    return await callback(*args, **kwargs)
            except RetryAfter as error:
                wait = seconds(error.retry_after)
                logger.warning("Telegram asked to wait %.0f s before the next %s to a chat", wait, endpoint)
                if chat_id is None:
                    if wait > MAX_INLINE_WAIT or attempt == self.MAX_RETRIES:
                        raise
                    await asyncio.sleep(wait)
                    continue
                self._paused_until[chat_id] = time.monotonic() + wait
                if wait > MAX_INLINE_WAIT or attempt == self.MAX_RETRIES:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
