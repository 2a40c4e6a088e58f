"""Reminders end to end: the real application, its JobQueue and the fake Bot API server.

The bot runs on a `ManualClock`: it stands still until a test moves it, and the test then runs a planning
round itself (`plan_round`), so nothing races the wall clock. A round holds the planner's lock and returns
after its sends are settled, so "nothing more was sent" is checked by running one more round, not by waiting.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.conversation import TERMINAL_CHAT_ID
from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.storage import open_database
from bot.telegram_adapter.reminders import RETRY_AFTER_FAILURE, ReminderService

from ..fake_telegram import FakeTelegram
from .conftest import ManualClock, RunningBot, start_bot, stop_bot

ADMIN = 999
GROUP = -2002
GROUP_ADMIN = 777
ANONYMOUS_ADMIN_BOT = 1087968824
START = datetime(2030, 3, 12, 9, 0, tzinfo=OSLO)  # the bot's clock at the start of each test


@pytest.fixture
async def scheduled(assistant: Assistant, tmp_path: Path) -> AsyncIterator[tuple[RunningBot, ManualClock]]:
    clock = ManualClock(START)
    bot = await start_bot(assistant, tmp_path, clock=clock, admin_user_ids=frozenset({ADMIN}))
    bot.telegram.chat_admins[GROUP] = [
        {"status": "creator", "user": FakeTelegram.user(GROUP_ADMIN), "is_anonymous": False},
    ]
    yield bot, clock
    await stop_bot(bot)


def service(bot: RunningBot) -> ReminderService:
    reminders = bot.application.bot_data.reminders
    assert isinstance(reminders, ReminderService)
    return reminders


def reminders(telegram: FakeTelegram, chat_id: int | None = None) -> list[Any]:
    return [c for c in telegram.sent(chat_id) if "Påminnelse" in c.params["text"]]


async def test_subscribe_set_a_date_and_the_reminder_arrives_once(scheduled: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = scheduled
    telegram = bot.telegram
    event = START + timedelta(hours=3)
    assert "Regional yrkesmesse" in (await telegram.ask(111, "/abonner yrkesmesse 2m", user_id=111))["text"]
    refused = (await telegram.ask(GROUP, "/abonner yrkesmesse 2m", user_id=555))["text"]
    assert "bare administratorer" in refused
    reply = await telegram.ask(GROUP, "/abonner yrkesmesse 2m", user_id=GROUP_ADMIN)
    assert "Regional yrkesmesse" in reply["text"]
    set_date = f"/settdato yrkesmesse {event:%d.%m.%Y} kl. {event:%H.%M}"
    assert "partnerskapets administratorer" in (await telegram.ask(555, set_date, user_id=555))["text"]
    assert "satt til" in (await telegram.ask(ADMIN, set_date, user_id=ADMIN))["text"]
    await bot.idle()  # the handler re-plans after its reply: let it finish, or this round plans once more
    await service(bot).plan_round()
    assert reminders(telegram) == []  # not yet due
    assert service(bot).wake_at == event - timedelta(minutes=2)  # the bot will wake when it is

    clock.advance(event - timedelta(minutes=2) - START)
    await service(bot).plan_round()
    assert len(reminders(telegram, 111)) == 1 and len(reminders(telegram, GROUP)) == 1
    text = reminders(telegram, 111)[0].params["text"]
    assert "Regional yrkesmesse" in text and "om 2 min" in text and "Tiltak 1.7" in text
    clock.advance(timedelta(seconds=30))
    await service(bot).plan_round()  # an extra wake-up must not send again
    assert len(reminders(telegram, 111)) == 1 and len(reminders(telegram, GROUP)) == 1
    assert bot.database.delivery_statuses() == {"sent": 2}
    assert "2 minutter før" in (await telegram.ask(111, "/varsler", user_id=111))["text"]


async def test_anonymous_group_admin_may_subscribe(scheduled: tuple[RunningBot, ManualClock]) -> None:
    bot, _ = scheduled
    telegram = bot.telegram
    anonymous = {"sender_chat": telegram.chat(GROUP, "supergroup")}
    reply = await telegram.ask(GROUP, "/abonner", user_id=ANONYMOUS_ADMIN_BOT, **anonymous)
    assert "alle milepæler" in reply["text"]
    reply = await telegram.ask(GROUP, "/settdato yrkesmesse 1.1.2031", user_id=555)
    assert "partnerskapets administratorer" in reply["text"]


async def test_blocked_migrated_and_rate_limited_chats(scheduled: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = scheduled
    telegram, database = bot.telegram, bot.database
    for chat_id in (201, 202, -3003):
        database.subscribe(chat_id, "fagbrevseremoni", (Lead(3, "m"),), START)
    telegram.blocked_chats.add(201)
    telegram.migrated_chats[-3003] = -1003003
    telegram.inject("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    event = START + timedelta(hours=1)
    await telegram.ask(ADMIN, f"/settdato fagbrevseremoni {event:%d.%m.%Y} kl. {event:%H.%M}", user_id=ADMIN)
    clock.advance(event - timedelta(minutes=3) - START)
    await service(bot).plan_round()
    assert reminders(telegram, 201) == [] and database.subscriptions(201) == []  # blocked: unsubscribed
    assert [s.chat_id for s in database.subscriptions() if s.chat_id < 0] == [-1003003]  # moved
    assert len(reminders(telegram, 202)) == 1 and len(reminders(telegram, -1003003)) == 1
    assert ("sendMessage", "Too Many Requests: retry after 1") in telegram.rejected  # waited out, then delivered
    await service(bot).plan_round()
    assert len(reminders(telegram)) == 2  # nothing more
    assert database.delivery_statuses() == {"sent": 2, "blocked": 1}


async def test_reminder_due_while_down_is_sent_once_at_start(assistant: Assistant, tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    event = START + timedelta(days=3, hours=12)  # the 14- and 7-day reminders fell due while down
    database.save_milestone(Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "yearly", event))
    database.subscribe(301, "yrkesmesse", (Lead(14, "d"), Lead(7, "d"), Lead(1, "d")), START - timedelta(days=30))
    # The terminal chat's subscription in the same database: its reminders are the terminal's to print.
    database.subscribe(TERMINAL_CHAT_ID, "yrkesmesse", (Lead(7, "d"),), START - timedelta(days=30))
    database.close()

    bot = await start_bot(assistant, tmp_path, clock=ManualClock(START))
    try:
        await bot.telegram.wait_for(lambda: reminders(bot.telegram, 301))  # sent by the start-up round alone
        await service(bot).plan_round()
        sent = reminders(bot.telegram, 301)
        assert len(sent) == 1 and "Regional yrkesmesse" in sent[0].params["text"]
        assert bot.database.delivery_statuses() == {"sent": 1, "superseded": 1}  # the 7-day one sent, not the 14
        assert bot.telegram.sent(TERMINAL_CHAT_ID) == [] and bot.database.subscriptions(TERMINAL_CHAT_ID)
    finally:
        await stop_bot(bot)

    bot = await start_bot(assistant, tmp_path, clock=ManualClock(START + timedelta(minutes=5)))  # started again
    try:
        await bot.telegram.wait_for(lambda: bot.telegram.sent(method="setMyCommands"))
        await service(bot).plan_round()
        assert reminders(bot.telegram, 301) == []
        assert bot.database.delivery_statuses() == {"sent": 1, "superseded": 1}
    finally:
        await stop_bot(bot)


async def test_network_failure_is_retried_not_dropped(scheduled: tuple[RunningBot, ManualClock]) -> None:
    bot, clock = scheduled
    telegram, database = bot.telegram, bot.database
    database.subscribe(401, "yrkesmesse", (Lead(2, "m"),), START)
    for _ in range(3):  # every attempt of the first round fails
        telegram.inject("sendMessage", 502, "Bad Gateway")
    event = START + timedelta(minutes=2)
    database.save_milestone(Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "yearly", event))
    await service(bot).plan_round()
    assert reminders(telegram, 401) == [] and database.delivery_statuses() == {}  # failed, and not logged
    assert service(bot).wake_at == START + RETRY_AFTER_FAILURE  # tried again a minute later

    clock.advance(RETRY_AFTER_FAILURE)
    await service(bot).plan_round()
    await service(bot).plan_round()
    assert len(reminders(telegram, 401)) == 1
    assert [d for m, d in telegram.rejected if m == "sendMessage"] == ["Bad Gateway"] * 3
    assert database.delivery_statuses() == {"sent": 1}
