"""Telegram's flood limits as python-telegram-bot's rate limiter enforces them."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from telegram.ext import (
    AIORateLimiter,
)


class MessageRateLimiter(AIORateLimiter):
    """Telegram's flood limits, kept in any window rather than on average.

    PTB's default buckets (30 overall, 20 per group) let a full bucket and its refill through together: up to
    60 messages in the first second. Here the overall bucket holds one and refills 29 times a second (never
    over 30 in a second), and a group's holds 5 and refills 15 a minute (never over 20 in a minute, with room
    for a short exchange). Only messages count against a group; looking up a member does not.
    """

    MESSAGE_METHODS = ("send", "edit", "copy", "forward")

    def __init__(self) -> None:
        super().__init__(
            overall_max_rate=1, overall_time_period=1 / 29, group_max_rate=5, group_time_period=20, max_retries=3
        )

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        if not endpoint.lower().startswith(self.MESSAGE_METHODS):
            data = {key: value for key, value in data.items() if key != "chat_id"}
        return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
