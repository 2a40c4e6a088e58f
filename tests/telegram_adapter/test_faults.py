"""Issue 7, end to end against the fake Bot API with faults injected: replies too long for one message, a slow
Bot API, one chat under a long 429, an expired button, DST, bad lead times and malformed updates."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.telegram_adapter.app import Timeouts

from ..fake_telegram import Call, FakeTelegram
from ..html_check import telegram_html_errors
from .conftest import RunningBot, start_bot, stop_bot

ADMIN = 999
PRIVATE = 111
OTHER = 222
GROUP = -100500
NOW = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)


@pytest.fixture
async def bot(assistant: Assistant, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running = await start_bot(assistant, tmp_path, clock=lambda: NOW, admin_user_ids=frozenset({ADMIN}))
    yield running
    await stop_bot(running)


def texts_since(telegram: FakeTelegram, start: int, chat_id: int, method: str = "sendMessage") -> list[str]:
    return [
        c.params["text"]
        for c in telegram.calls[start:]
        if c.ok and c.method == method and c.params.get("chat_id") == chat_id
    ]


async def conversation(telegram: FakeTelegram, chat_id: int, text: str, until: str, **extra: Any) -> list[str]:
    """Every message the bot sends to the chat for one message, up to the one that contains `until`."""
    start = len(telegram.calls)
    chat_type = "private" if chat_id > 0 else "supergroup"
    telegram.push({"message": telegram.message(chat_id, text, chat_type=chat_type, **extra)})
    await telegram.wait_for(lambda: any(until in t for t in texts_since(telegram, start, chat_id)), timeout=20)
    return texts_since(telegram, start, chat_id)


def many_milestones(bot: RunningBot, count: int = 30) -> list[Milestone]:
    milestones = [
        Milestone(
            f"messe-{n:02d}",
            f"Yrkesmesse nummer {n} " + "med et langt navn " * 5,
            "1.7",
            "Indre Østfold, " + "rådhuset i Askim, store sal " * 3,
            "once",
            NOW + timedelta(days=10 + n),
        )
        for n in range(count)
    ]
    for milestone in milestones:
        bot.database.save_milestone(milestone)
    return milestones


# -- row 5: every reply fits Telegram ------------------------------------------------------------------------
async def test_thirty_milestones_are_listed_in_a_group_in_messages_telegram_accepts(bot: RunningBot) -> None:
    milestones = many_milestones(bot)
    pages = await conversation(bot.telegram, GROUP, "/milepaeler", until="/abonner")
    assert len(pages) >= 2 and bot.telegram.rejected == []
    assert all(m.title.strip() in "".join(pages) for m in milestones)
    assert all(telegram_html_errors(page) == [] for page in pages)


async def test_366_lead_times_are_shown_by_varsler(bot: RunningBot) -> None:
    leads = " ".join(f"{n}d" for n in range(1, 367))
    subscribed = await conversation(bot.telegram, PRIVATE, f"/abonner yrkesmesse {leads}", until="1 dag før")
    pages = await conversation(bot.telegram, PRIVATE, "/varsler", until="1 dag før")
    assert bot.telegram.rejected == [] and len(subscribed) >= 2 and len(pages) >= 2
    shown = " ".join(" ".join(pages).split())  # a page may end at any space
    assert all(f" {n} dager før," in shown for n in range(2, 367))


async def test_asking_for_the_dates_of_thirty_milestones_shows_them_all(bot: RunningBot) -> None:
    milestones = many_milestones(bot)
    pages = await conversation(bot.telegram, PRIVATE, "hvilke datoer er satt?", until="/abonner")
    assert bot.telegram.rejected == [] and len(pages) >= 2
    assert all(m.title.strip() in "".join(pages) for m in milestones)


@pytest.mark.parametrize(
    ("command", "said"),
    [("/abonner ", "ingen milepæl"), ("/settdato yrkesmesse 1.1.2030 ", "forstår ikke datoen"),
     ("/tiltak 9", "ikke et tiltaksnummer"), ("/nymilepael ny 1.7", "")],
)  # fmt: skip
async def test_a_4000_character_argument_is_not_echoed_whole(bot: RunningBot, command: str, said: str) -> None:
    text = (command + "x" * 4000)[:4000]
    reply = await conversation(bot.telegram, PRIVATE, text, until=said, user_id=ADMIN)
    assert bot.telegram.rejected == [] and len(reply) == 1 and len(reply[0]) < 600


# -- row 8: a slow Bot API -------------------------------------------------------------------------------------
async def test_a_reply_slower_than_5_seconds_is_sent_once(bot: RunningBot) -> None:
    """python-telegram-bot's default read timeout (5 s) took a slow "ok" for a failure: 3 answers + "Beklager"."""
    telegram = bot.telegram
    telegram.slow["sendMessage"] = 6.0
    telegram.send_text(PRIVATE, "buss")
    await telegram.wait_for(
        lambda: (
            bot.database.question_count()[0] == 1 or any("Beklager" in t for t in texts_since(telegram, 0, PRIVATE))
        ),
        timeout=40,
    )
    assert len(texts_since(telegram, 0, PRIVATE)) == 1 and "Tiltak 3.4" in texts_since(telegram, 0, PRIVATE)[0]


async def test_a_send_that_times_out_is_not_repeated_nor_apologised_for(
    assistant: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    running = await start_bot(assistant, tmp_path, timeouts=Timeouts(read=0.5))
    telegram = running.telegram
    try:
        telegram.slow["sendMessage"] = 1.5  # Telegram took it, but answers after the read timeout
        telegram.send_text(PRIVATE, "buss")
        await telegram.wait_for(lambda: any("may have arrived" in r.getMessage() for r in caplog.records), timeout=20)
        telegram.slow.clear()
        assert "Tiltak 3.6" in (await conversation(telegram, PRIVATE, "tog", until="Tiltak"))[0]  # and goes on
        assert [t[:30] for t in texts_since(telegram, 0, PRIVATE)].count(texts_since(telegram, 0, PRIVATE)[0][:30]) == 1
        assert len(texts_since(telegram, 0, PRIVATE)) == 2  # "buss" once, "tog" once, no "Beklager"
    finally:
        await stop_bot(running)


async def test_a_reminder_that_times_out_is_marked_uncertain_not_sent_again(
    assistant: Assistant, tmp_path: Path
) -> None:
    running = await start_bot(assistant, tmp_path, timeouts=Timeouts(read=0.5))
    telegram, database = running.telegram, running.database
    try:
        running.application.bot_data.reminders.retry_after = timedelta(seconds=1)  # a minute in production
        now = datetime.now(OSLO)
        database.subscribe(401, "yrkesmesse", (Lead(60, "m"),), now - timedelta(hours=2))
        telegram.slow["sendMessage"] = 1.5
        database.save_milestone(
            Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "once", now + timedelta(minutes=30))
        )
        running.application.bot_data.reminders.reschedule()
        await telegram.wait_for(lambda: database.delivery_statuses() == {"uncertain": 1}, timeout=20)
        await asyncio.sleep(2.5)  # a retry would come after 1 s
        assert len([c for c in telegram.sent(401) if "Påminnelse" in c.params["text"]]) == 1
    finally:
        await stop_bot(running)


# -- row 9: one chat under a long 429 ------------------------------------------------------------------------
async def test_a_long_retry_after_for_one_chat_delays_that_chat_only(bot: RunningBot) -> None:
    telegram = bot.telegram
    telegram.flood(PRIVATE, 120)
    telegram.send_text(PRIVATE, "buss")
    await telegram.wait_for(lambda: ("sendMessage", "Too Many Requests: retry after 120") in telegram.rejected)
    started = asyncio.get_running_loop().time()
    assert "Tiltak 3.6" in (await conversation(telegram, OTHER, "tog", until="Tiltak"))[0]
    assert asyncio.get_running_loop().time() - started < 5  # not after the other chat's 120 s
    telegram.send_text(PRIVATE, "tog")  # while the pause lasts, the bot does not knock again
    assert "Tiltak" in (await conversation(telegram, OTHER, "sykkel", until="Tiltak"))[0]
    assert len([c for c in telegram.calls if c.method == "sendMessage" and c.params["chat_id"] == PRIVATE]) == 1


# -- row 11: a button whose callback query expired ---------------------------------------------------------
async def test_an_expired_button_still_shows_its_content(bot: RunningBot) -> None:
    telegram = bot.telegram
    telegram.inject(
        "answerCallbackQuery", 400, "Bad Request: query is too old and response timeout expired or query ID is invalid"
    )
    message = telegram.message(PRIVATE, "…", user_id=telegram.bot_id)
    message["from"] = telegram.bot_user()
    telegram.push({"callback_query": {"id": "old", "from": telegram.user(PRIVATE), "chat_instance": "x",
                                      "message": message, "data": "a:3"}})  # fmt: skip
    edited: Call = await telegram.reply_to(PRIVATE, method="editMessageText")
    assert edited.params["text"].startswith("<b>Innsatsområde 3")
    assert not any("Beklager" in t for t in texts_since(telegram, 0, PRIVATE))


# -- row 12: DST ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("when", "said"), [("28.03.2027 kl. 02.30", "finnes ikke i norsk tid"), ("31.10.2027 kl. 02.30", "to ganger")]
)
async def test_a_time_daylight_saving_skips_or_repeats_is_refused(bot: RunningBot, when: str, said: str) -> None:
    reply = await conversation(bot.telegram, PRIVATE, f"/settdato yrkesmesse {when}", until=said, user_id=ADMIN)
    assert "sommertid" in reply[0] or "vintertid" in reply[0]
    assert bot.database.stored_milestones() == []  # nothing changed


# -- row 13: lead times ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("leads", "said"),
    [("-1d", "er negativ"), ("1d, 2d", "2 dager før, 1 dag før"), ("9999t", "mer enn ett år"), ("5x", "enheten «x»")],
)
async def test_lead_time_errors_say_what_is_wrong_with_the_lead(bot: RunningBot, leads: str, said: str) -> None:
    reply = await conversation(bot.telegram, PRIVATE, f"/abonner {leads}", until=said)
    assert "ingen milepæl" not in reply[0]


# -- row 15: a malformed update ------------------------------------------------------------------------------
async def test_a_malformed_update_is_skipped_with_one_line_and_polling_goes_on(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    telegram = bot.telegram
    telegram.push_malformed({"message": telegram.message(PRIVATE, "sykkel")})
    assert "Tiltak 3.4" in (await conversation(telegram, PRIVATE, "buss", until="Tiltak"))[0]
    assert "Tiltak 3.6" in (await conversation(telegram, PRIVATE, "tog", until="Tiltak"))[0]
    skipped = [r for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 1 and "update_id is not an integer" in skipped[0].getMessage()
    assert len(texts_since(telegram, 0, PRIVATE)) == 2  # the malformed one got nothing


async def test_an_answer_that_is_not_json_mid_run_is_retried(bot: RunningBot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    bot.telegram.malformed["getUpdates"] = 2
    assert "Tiltak 3.4" in (await conversation(bot.telegram, PRIVATE, "buss", until="Tiltak"))[0]
