"""Reminders end to end: the real application, its JobQueue and the fake Bot API server.

The bot's clock runs a few seconds before a minute boundary (real time plus an offset), so a milestone
typed to the minute falls due within seconds, without waiting for the wall clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.conversation import TERMINAL_CHAT_ID
from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.storage import open_database

from ..fake_telegram import FakeTelegram
from .conftest import RunningBot, start_bot, stop_bot

ADMIN = 999
GROUP = -2002
GROUP_ADMIN = 777
ANONYMOUS_ADMIN_BOT = 1087968824


def clock_before_a_minute(seconds: float = 4.0) -> tuple[Callable[[], datetime], datetime]:
    """A clock `seconds` before the next whole minute, and that minute."""
    real = datetime.now(OSLO)
    minute = real.replace(second=0, microsecond=0) + timedelta(minutes=1)
    offset = (minute - timedelta(seconds=seconds)) - real
    return (lambda: datetime.now(OSLO) + offset), minute


@pytest.fixture
async def scheduled(assistant: Assistant, tmp_path: Path) -> AsyncIterator[tuple[RunningBot, datetime]]:
    clock, minute = clock_before_a_minute()
    bot = await start_bot(assistant, tmp_path, clock=clock, admin_user_ids=frozenset({ADMIN}))
    bot.telegram.chat_admins[GROUP] = [
        {"status": "creator", "user": FakeTelegram.user(GROUP_ADMIN), "is_anonymous": False},
    ]
    yield bot, minute
    await stop_bot(bot)


async def command(telegram: FakeTelegram, chat_id: int, text: str, user_id: int, **extra: Any) -> str:
    waiting = asyncio.ensure_future(telegram.reply_to(chat_id))
    await asyncio.sleep(0)
    chat_type = "private" if chat_id > 0 else "supergroup"
    telegram.push({"message": telegram.message(chat_id, text, chat_type=chat_type, user_id=user_id, **extra)})
    return str((await waiting).params["text"])


def reminders(telegram: FakeTelegram, chat_id: int | None = None) -> list[Any]:
    return [c for c in telegram.sent(chat_id) if "Påminnelse" in c.params["text"]]


async def test_subscribe_set_a_date_and_the_reminder_arrives_once(scheduled: tuple[RunningBot, datetime]) -> None:
    bot, minute = scheduled
    telegram = bot.telegram
    event = minute + timedelta(minutes=2)  # the 2-minute reminder falls due at `minute`, seconds from now
    assert "Regional yrkesmesse" in await command(telegram, 111, "/abonner yrkesmesse 2m", 111)
    refused = await command(telegram, GROUP, "/abonner yrkesmesse 2m", 555)
    assert "bare administratorer" in refused
    assert "Regional yrkesmesse" in await command(telegram, GROUP, "/abonner yrkesmesse 2m", GROUP_ADMIN)
    refused = await command(telegram, 555, f"/settdato yrkesmesse {event:%d.%m.%Y} kl. {event:%H.%M}", 555)
    assert "partnerskapets administratorer" in refused
    reply = await command(telegram, ADMIN, f"/settdato yrkesmesse {event:%d.%m.%Y} kl. {event:%H.%M}", ADMIN)
    assert "satt til" in reply
    await telegram.wait_for(lambda: reminders(telegram, 111) and reminders(telegram, GROUP), timeout=20)
    text = reminders(telegram, 111)[0].params["text"]
    assert "Regional yrkesmesse" in text and "om 2 min" in text and "Tiltak 1.7" in text
    await asyncio.sleep(2)
    bot.application.bot_data.reminders.reschedule()  # an extra wake-up must not send again
    await asyncio.sleep(1)
    assert len(reminders(telegram, 111)) == 1 and len(reminders(telegram, GROUP)) == 1
    assert bot.database.delivery_statuses() == {"sent": 2}
    assert "2 minutter før" in await command(telegram, 111, "/varsler", 111)


async def test_anonymous_group_admin_may_subscribe(scheduled: tuple[RunningBot, datetime]) -> None:
    bot, _ = scheduled
    telegram = bot.telegram
    anonymous = {"sender_chat": telegram.chat(GROUP, "supergroup")}
    reply = await command(telegram, GROUP, "/abonner", ANONYMOUS_ADMIN_BOT, **anonymous)
    assert "alle milepæler" in reply
    assert "partnerskapets administratorer" in await command(telegram, GROUP, "/settdato yrkesmesse 1.1.2030", 555)


async def test_blocked_migrated_and_rate_limited_chats(scheduled: tuple[RunningBot, datetime]) -> None:
    bot, minute = scheduled
    telegram, database = bot.telegram, bot.database
    now = minute - timedelta(minutes=1)

    for chat_id in (201, 202, -3003):
        database.subscribe(chat_id, "fagbrevseremoni", (Lead(3, "m"),), now)
    telegram.blocked_chats.add(201)
    telegram.migrated_chats[-3003] = -1003003
    telegram.inject("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    event = minute + timedelta(minutes=3)
    await command(telegram, ADMIN, f"/settdato fagbrevseremoni {event:%d.%m.%Y} kl. {event:%H.%M}", ADMIN)
    await telegram.wait_for(lambda: reminders(telegram, 202) and reminders(telegram, -1003003), timeout=25)
    await asyncio.sleep(1)
    assert reminders(telegram, 201) == [] and database.subscriptions(201) == []  # blocked: unsubscribed
    assert [s.chat_id for s in database.subscriptions() if s.chat_id < 0] == [-1003003]  # moved
    assert len(reminders(telegram, 202)) == 1 and len(reminders(telegram, -1003003)) == 1
    assert ("sendMessage", "Too Many Requests: retry after 1") in telegram.rejected  # waited out, then delivered
    statuses = database.delivery_statuses()
    assert statuses == {"sent": 2, "blocked": 1}


async def test_reminder_due_while_down_is_sent_once_at_start(assistant: Assistant, tmp_path: Path) -> None:

    real_now = datetime.now(OSLO)
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    event = real_now + timedelta(days=3, hours=12)  # the 14- and 7-day reminders fell due while down
    database.save_milestone(Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "yearly", event))
    database.subscribe(301, "yrkesmesse", (Lead(14, "d"), Lead(7, "d"), Lead(1, "d")), real_now - timedelta(days=30))
    # The terminal chat's subscription in the same database: its reminders are the terminal's to print.
    database.subscribe(TERMINAL_CHAT_ID, "yrkesmesse", (Lead(7, "d"),), real_now - timedelta(days=30))
    database.close()
    for _ in range(2):  # start, stop, start again: one reminder in all
        bot = await start_bot(assistant, tmp_path)
        await bot.telegram.wait_for(lambda b=bot: b.telegram.sent(method="setMyCommands"))
        await asyncio.sleep(1.5)
        sent = reminders(bot.telegram, 301)
        first_run_statuses = bot.database.delivery_statuses()
        terminal_untouched = bot.telegram.sent(TERMINAL_CHAT_ID) == [] and bot.database.subscriptions(TERMINAL_CHAT_ID)
        await stop_bot(bot)
        if _ == 0:
            assert len(sent) == 1 and "Regional yrkesmesse" in sent[0].params["text"]
            assert first_run_statuses == {"sent": 1, "superseded": 1}  # the 7-day one sent, the 14-day not
            assert terminal_untouched
        else:
            assert sent == []


async def test_network_failure_is_retried_not_dropped(scheduled: tuple[RunningBot, datetime]) -> None:
    bot, minute = scheduled
    telegram, database = bot.telegram, bot.database
    bot.application.bot_data.reminders.retry_after = timedelta(seconds=1)  # a minute in production
    database.subscribe(401, "yrkesmesse", (Lead(2, "m"),), minute - timedelta(minutes=1))
    for _ in range(3):  # every attempt of the first tick fails
        telegram.inject("sendMessage", 502, "Bad Gateway")
    fair = Milestone(
        "yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "yearly", minute + timedelta(minutes=2)
    )
    database.save_milestone(fair)
    bot.application.bot_data.reminders.reschedule()
    await telegram.wait_for(lambda: reminders(telegram, 401), timeout=30)
    await asyncio.sleep(1.5)
    assert len(reminders(telegram, 401)) == 1
    assert [d for m, d in telegram.rejected if m == "sendMessage"] == ["Bad Gateway"] * 3
    assert database.delivery_statuses() == {"sent": 1}
