"""The real application, polling a fake Bot API server that the test starts on 127.0.0.1."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import load_milestones
from bot.settings import load_settings
from bot.storage import Database, open_database
from bot.telegram_adapter import handlers
from bot.telegram_adapter.app import TIMEOUTS, Poller, Timeouts, build_application, post_init, post_shutdown

from ..fake_telegram import FakeTelegram


class ManualClock:
    """A clock that stands still until the test moves it: nothing depends on how fast the machine is."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> datetime:
        self.now += delta
        return self.now


@dataclass
class RunningBot:
    telegram: FakeTelegram
    application: Any
    database: Database
    poller: Poller
    polling: asyncio.Task[None]
    owns_telegram: bool = True  # False: another application shares the fake server, which the test stops

    async def idle(self) -> None:
        """Wait until the bot has fetched and fully handled every update pushed so far: after this, a reply
        that has not come will never come (the sentinel for "nothing was sent")."""
        await self.telegram.wait_for(self.telegram.all_acknowledged)
        await self.application.update_queue.join()


async def start_bot(
    assistant: Assistant,
    tmp_path: Path,
    *,
    rate_limit: bool = True,
    clock: Callable[[], datetime] | None = None,
    admin_user_ids: frozenset[int] = frozenset(),
    partnership_chat_id: int | None = None,
    timeouts: Timeouts = TIMEOUTS,
    database_url: str | None = None,
    telegram: FakeTelegram | None = None,
    claim_timeout: int | None = None,
    **fake: Any,
) -> RunningBot:
    """The application over a fresh database (milestone edits and subscriptions in it) and a fake server (or
    `telegram`, a server another application uses too: two processes of one bot)."""
    owns_telegram = telegram is None
    if telegram is None:
        telegram = FakeTelegram(**fake)
        await telegram.start()
    defaults = load_settings(environ={}, env_file=None)
    settings = replace(
        defaults,
        claim_timeout=claim_timeout or defaults.claim_timeout,
        token=telegram.token,
        api_base_url=telegram.base_url,
        database_url=database_url or f"sqlite:///{tmp_path / 'bot.sqlite3'}",
        rate_limit=rate_limit,
        admin_user_ids=admin_user_ids,
        partnership_chat_id=partnership_chat_id,
    )
    database = open_database(settings.database_url)
    desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
    assistant = Assistant(assistant.agreement, assistant.index, desk, clock or assistant.clock)
    application = build_application(settings, assistant, database, timeouts)
    await application.initialize()
    await post_init(application)  # `serve` would call it; driving by hand, we do
    await application.start()
    poller = Poller(application, settings.concurrency, long_poll=1, allowed_updates=["message", "edited_message",
                    "channel_post", "callback_query", "inline_query"])  # fmt: skip
    return RunningBot(telegram, application, database, poller, asyncio.ensure_future(poller.run()), owns_telegram)


async def stop_bot(bot: RunningBot) -> None:
    bot.poller.stop()
    await bot.polling
    await handlers.close()
    if bot.application.running:
        await bot.application.stop()
    await bot.application.shutdown()
    await post_shutdown(bot.application)
    if bot.owns_telegram:
        await bot.telegram.stop()


@pytest.fixture
async def running(assistant: Assistant, tmp_path: Path) -> AsyncIterator[RunningBot]:
    bot = await start_bot(assistant, tmp_path)
    yield bot
    await stop_bot(bot)
