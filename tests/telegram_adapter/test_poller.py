"""The Poller's window against a stand-in Bot API and application: new updates start while a slow one is still
being handled, and nothing is acknowledged past an update that is not handled yet."""

from __future__ import annotations

import asyncio
from typing import Any

from bot.telegram_adapter.app import Poller

BATCH = 4


class Requests:
    read_timeout = 5.0


class Api:
    """getUpdates as Telegram answers it: the oldest kept updates from `offset` on, at most `limit`; kept until
    a higher offset; a long poll waits for a push."""

    def __init__(self, changed: asyncio.Event) -> None:
        self.changed = changed  # set on every call, for `Application.until`
        self.kept: list[int] = []
        self.offsets: list[int] = []
        self.limits: list[int] = []
        self.pushed = asyncio.Event()
        self.request = Requests()

    def push(self, *update_ids: int) -> None:
        self.kept.extend(update_ids)
        self.pushed.set()

    async def do_api_request(self, method: str, api_kwargs: dict[str, Any], read_timeout: float = 0) -> Any:
        assert method == "getUpdates"
        offset = api_kwargs.get("offset", 0)
        self.offsets.append(offset)
        self.changed.set()
        self.limits.append(api_kwargs["limit"])
        self.kept = [update_id for update_id in self.kept if update_id >= offset]
        if not self.kept and api_kwargs["timeout"]:
            self.pushed.clear()
            try:
                await asyncio.wait_for(self.pushed.wait(), api_kwargs["timeout"])
            except TimeoutError:
                return []
        return [{"update_id": update_id} for update_id in self.kept[: api_kwargs["limit"]]]


class Application:
    """Handles update 1 only when the test releases it; every other at once."""

    def __init__(self) -> None:
        self.changed = asyncio.Event()
        self.bot = Api(self.changed)
        self.started: list[int] = []
        self.release = asyncio.Event()

    async def process_update(self, update: Any) -> None:
        self.started.append(update.update_id)
        self.changed.set()
        if update.update_id == 1:
            await self.release.wait()

    async def until(self, condition: Any) -> None:
        while not condition():
            self.changed.clear()
            await asyncio.wait_for(self.changed.wait(), 5)


async def test_new_updates_start_while_a_slow_one_is_handled_and_none_is_acknowledged_past_it() -> None:
    application = Application()
    poller = Poller(application, BATCH, long_poll=0.2)  # type: ignore[arg-type]
    polling = asyncio.ensure_future(poller.run())
    try:
        application.bot.push(1, 2, 3, 4)
        await application.until(lambda: {2, 3, 4} <= set(application.started))
        application.bot.push(5, 6, 7)
        await application.until(lambda: {5, 6, 7} <= set(application.started))  # not waiting for update 1
        assert application.started.count(1) == 1  # an update in hand is not started again
        assert max(application.bot.offsets) <= 1  # nor acknowledged while update 1 is unfinished
        application.bot.push(*range(8, 20))
        application.release.set()
        await application.until(lambda: 19 in application.started)
        await application.until(lambda: 20 in application.bot.offsets)
    finally:
        poller.stop()
        await polling
    assert sorted(application.started) == list(range(1, 20))
    assert application.bot.offsets[-1] == 20
    # From an offset at or below the oldest unfinished update, never more than 2 × batch: so at most that many
    # are handled twice after a kill.
    assert max(application.bot.limits) <= 2 * BATCH


async def test_a_stop_leaves_an_unfinished_update_unacknowledged() -> None:
    application = Application()
    poller = Poller(application, BATCH, long_poll=0.2)  # type: ignore[arg-type]
    polling = asyncio.ensure_future(poller.run())
    application.bot.push(1, 2, 3)
    await application.until(lambda: {1, 2, 3} <= set(application.started))
    poller.stop()
    await polling  # waits the grace period for update 1, then gives it up
    assert application.bot.offsets[-1] == 1  # Telegram sends it again after the restart
