"""Milestones into the calendar, end to end: /milepaeler's "Legg i kalender" buttons and /kalender send an
.ics file (sendDocument, a multipart upload the fake server keeps), and the buttons work after a restart."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import icalendar

from bot.assistant import Assistant
from bot.milestones.dates import OSLO
from bot.milestones.model import load_milestones

from ..fake_telegram import FakeTelegram, Upload
from .conftest import RunningBot, start_bot, stop_bot

PRIVATE = 111
GROUP = -100500
FAIR = datetime(2031, 10, 14, 13, 0, tzinfo=OSLO)


def set_fair_date(bot: RunningBot, assistant: Assistant, when: datetime | None) -> None:
    fair = load_milestones(assistant.agreement)[0]
    bot.database.save_milestone(replace(fair, starts_at=when))


async def say(telegram: FakeTelegram, chat_id: int, text: str) -> dict[str, Any]:
    return await telegram.ask(chat_id, text, user_id=chat_id if chat_id > 0 else 111)


async def press(telegram: FakeTelegram, chat_id: int, data: str, method: str, *, old: bool = False) -> dict[str, Any]:
    """Press a button under the bot's message; `old`: a message Telegram no longer shows the bot (date 0)."""
    waiting = asyncio.ensure_future(telegram.reply_to(chat_id, method=method))
    await asyncio.sleep(0)
    message = telegram.message(chat_id, "Milepæler", chat_type="private" if chat_id > 0 else "supergroup")
    message["from"] = telegram.bot_user()
    if old:
        message = {"chat": message["chat"], "message_id": message["message_id"], "date": 0}
    telegram.push({"callback_query": {"id": f"cb-{data}", "from": telegram.user(PRIVATE), "chat_instance": "x",
                                      "message": message, "data": data}})  # fmt: skip
    return (await waiting).params


def calendar_buttons(params: dict[str, Any]) -> list[tuple[str, str]]:
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row if b["callback_data"].startswith("k:")]


def events(upload: Upload) -> list[icalendar.Event]:
    assert upload.filename.endswith(".ics")
    return list(icalendar.Calendar.from_ical(upload.content).walk("VEVENT"))


async def test_the_button_sends_that_milestones_ics(running: RunningBot, assistant: Assistant) -> None:
    telegram = running.telegram
    set_fair_date(running, assistant, FAIR)
    await say(telegram, PRIVATE, "/abonner yrkesmesse 14d 2t")
    listing = await say(telegram, PRIVATE, "/milepaeler")
    assert calendar_buttons(listing) == [("📅 Legg i kalender: Regional yrkesmesse", "k:yrkesmesse")]  # undated: none
    sent = await press(telegram, PRIVATE, "k:yrkesmesse", "sendDocument")
    upload = sent["document"]
    assert upload.filename == "yrkesmesse-2031-10-14.ics"
    (event,) = events(upload)
    assert event.start == FAIR and str(event["UID"]) == "yrkesmesse-2031@partnerskapsboten"
    assert [a["TRIGGER"].dt for a in event.walk("VALARM")] == [-timedelta(days=14, hours=4), -timedelta(hours=2)]
    assert "tirsdag 14. oktober 2031 kl. 13.00" in sent["caption"] and sent["parse_mode"] == "HTML"
    assert "14 dager før, 2 timer før" in sent["caption"]
    assert telegram.sent(method="answerCallbackQuery")[-1].params["callback_query_id"] == "cb-k:yrkesmesse"
    assert not telegram.sent(PRIVATE, "editMessageText")  # the list stays as it was


async def test_kalender_sends_every_dated_milestone_and_names_the_rest(
    running: RunningBot, assistant: Assistant
) -> None:
    telegram = running.telegram
    assert "Ingen milepæler har dato" in (await say(telegram, GROUP, "/kalender"))["text"]
    set_fair_date(running, assistant, FAIR)
    waiting = asyncio.ensure_future(telegram.reply_to(GROUP, method="sendDocument"))
    await asyncio.sleep(0)
    telegram.send_text(GROUP, "/kalender@partnerbot", chat_type="supergroup")
    sent = (await waiting).params
    assert sent["document"].filename == "milepaeler.ics"
    assert [str(e["SUMMARY"]) for e in events(sent["document"])] == ["Regional yrkesmesse"]
    assert "Uten dato (ikke med i filen): Felles seremoni for fag- og svennebrev" in sent["caption"]
    assert "ikke abonnerer" in sent["caption"]  # the group has no subscriptions, so the file has no alarms
    assert b"VALARM" not in sent["document"].content


async def test_a_button_survives_a_restart_and_a_date_that_went_away(assistant: Assistant, tmp_path: Path) -> None:
    bot = await start_bot(assistant, tmp_path)
    try:
        set_fair_date(bot, assistant, FAIR)
        (_, data), *_ = calendar_buttons(await say(bot.telegram, PRIVATE, "/milepaeler"))
    finally:
        await stop_bot(bot)
    bot = await start_bot(assistant, tmp_path)  # a new process' worth of state: the same database, nothing else
    try:
        (event,) = events((await press(bot.telegram, PRIVATE, data, "sendDocument"))["document"])
        assert event.start == FAIR
        (event,) = events((await press(bot.telegram, PRIVATE, data, "sendDocument", old=True))["document"])
        assert event.start == FAIR  # a list from weeks ago: Telegram no longer shows the bot that message
        set_fair_date(bot, assistant, None)
        said = await press(bot.telegram, PRIVATE, data, "sendMessage")
        assert "<b>Regional yrkesmesse</b> har ingen dato" in said["text"]
    finally:
        await stop_bot(bot)


async def test_a_button_for_a_milestone_that_is_gone(running: RunningBot) -> None:
    said = await press(running.telegram, PRIVATE, "k:karrieredag", "sendMessage")
    assert "ingen milepæl som heter «karrieredag»" in said["text"]
    assert not running.telegram.sent(method="sendDocument")
