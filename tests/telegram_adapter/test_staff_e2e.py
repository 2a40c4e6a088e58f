"""The staff tools end to end: the real application against the fake Bot API server.

/statistikk (private chat, partnership admins, paged with buttons), the weekly summary on time and across a
restart, /laer found in every chat at once, /glem, /ordliste, /endrenavn and the change log /endringer.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import texts
from bot.assistant import Assistant
from bot.milestones.dates import OSLO
from bot.storage import open_database

from ..fake_telegram import Call, FakeTelegram
from ..storage_urls import database_url
from .conftest import RunningBot, start_bot, stop_bot

ADMIN = 999  # in ADMIN_USER_IDS
PARTNERSHIP_GROUP = -1001
PARTNERSHIP_ADMIN = 501  # an administrator of PARTNERSHIP_CHAT_ID
ASKER = 111
OTHER_ASKER = 222
STRANGER = 555
OTHER_GROUP = -2002
OTHER_GROUP_ADMIN = 777
ANONYMOUS_ADMIN_BOT = 1087968824
MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=OSLO)


def clock_at(moment: datetime) -> Callable[[], datetime]:
    """A clock that reads `moment` now and runs on in real time."""
    started = time.monotonic()
    return lambda: moment + timedelta(seconds=time.monotonic() - started)


async def start(assistant: Assistant, tmp_path: Path, clock: Callable[[], datetime] | None = None) -> RunningBot:
    bot = await start_bot(
        assistant, tmp_path, clock=clock, admin_user_ids=frozenset({ADMIN}), partnership_chat_id=PARTNERSHIP_GROUP
    )
    bot.telegram.chat_admins[PARTNERSHIP_GROUP] = [
        {"status": "administrator", "user": FakeTelegram.user(PARTNERSHIP_ADMIN), "is_anonymous": False},
    ]
    return bot


@pytest.fixture
async def bot(assistant: Assistant, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running = await start(assistant, tmp_path)
    yield running
    await stop_bot(running)


async def say(telegram: FakeTelegram, chat_id: int, text: str, user_id: int, **extra: Any) -> str:
    return str((await telegram.ask(chat_id, text, user_id=user_id, **extra))["text"])


def buttons(params: dict[str, Any]) -> list[tuple[str, str]]:
    markup = params.get("reply_markup") or {}
    return [(b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row]


async def press(telegram: FakeTelegram, chat_id: int, user_id: int, data: str) -> str:
    waiting = asyncio.ensure_future(telegram.reply_to(chat_id, method="editMessageText"))
    await asyncio.sleep(0)
    message = telegram.message(chat_id, "…", user_id=telegram.bot_id)
    message["from"] = telegram.bot_user()
    telegram.push({"callback_query": {"id": f"cb{user_id}", "from": telegram.user(user_id), "chat_instance": "x",
                                      "message": message, "data": data}})  # fmt: skip
    return str((await waiting).params["text"])


# -- /statistikk -----------------------------------------------------------------------------------------------
async def test_statistics_for_admins_in_private_paged_and_never_who_asked(bot: RunningBot) -> None:
    telegram = bot.telegram
    for question in ("sykkel", "sykkel", "hva sier avtalen om buss?"):
        assert "Tiltak" in await say(telegram, ASKER, question, ASKER)
    for number in range(11):
        assert "finner ikke" in await say(telegram, ASKER, f"romfart {number}", ASKER)
    assert "finner ikke" in await say(telegram, OTHER_ASKER, "Romfart 0", OTHER_ASKER)

    in_group = await say(telegram, PARTNERSHIP_GROUP, "/statistikk", ADMIN)
    assert "bare i privat chat" in in_group and "romfart" not in in_group.lower()
    assert "bare partnerskapets administratorer" in await say(telegram, STRANGER, "/statistikk", STRANGER)

    first = await telegram.ask(PARTNERSHIP_ADMIN, "/statistikk", user_id=PARTNERSHIP_ADMIN)
    text = first["text"]
    assert "Spørsmål stilt: 15\nBesvart: 3 (20 %)" in text
    assert "• Tiltak 3.8: " in text and "2\n• Tiltak 3.4: " in text
    assert "(11 ulike, 12 i alt) · side 1 av 2" in text and "• 2 × «Romfart 0»" in text
    assert str(ASKER) not in text and str(OTHER_ASKER) not in text
    [(label, data)] = buttons(first)
    assert label == texts.BUTTON_NEXT and len(data.encode()) <= 64
    second = await press(telegram, PARTNERSHIP_ADMIN, PARTNERSHIP_ADMIN, data)
    assert "side 2 av 2" in second and "romfart 9" in second and "romfart 0" not in second
    assert "bare partnerskapets administratorer" in await press(telegram, STRANGER, STRANGER, data)

    assert "forstår ikke «forrige uke»" in await say(telegram, ADMIN, "/statistikk forrige uke", ADMIN)
    assert "Statistikk: siste 7 dager" in await say(telegram, ADMIN, "/statistikk 7", ADMIN)
    assert f"Statistikk: {datetime.now(OSLO).year}" in await say(
        telegram, ADMIN, f"/statistikk {datetime.now(OSLO).year}", ADMIN
    )


# -- /laer, /glem, /ordliste ---------------------------------------------------------------------------------
async def test_a_taught_word_is_found_in_every_chat_at_once_and_after_a_restart(
    assistant: Assistant, tmp_path: Path
) -> None:
    bot = await start(assistant, tmp_path)
    telegram = bot.telegram
    try:
        assert "finner ikke" in await say(telegram, ASKER, "sparkesykkel", ASKER)
        refused = await say(telegram, STRANGER, "/laer sparkesykkel = transportformer", STRANGER)
        assert "bare partnerskapets administratorer" in refused
        telegram.chat_admins[OTHER_GROUP] = [
            {"status": "creator", "user": FakeTelegram.user(OTHER_GROUP_ADMIN), "is_anonymous": False},
        ]
        refused = await say(telegram, OTHER_GROUP, "/laer sparkesykkel = transportformer", OTHER_GROUP_ADMIN)
        assert "bare partnerskapets administratorer" in refused  # a group's own admin is not the partnership's
        assert "står ikke i den" in await say(telegram, ADMIN, "/laer sparkesykkel = romfart", ADMIN)
        assert bot.database.taught_words() == []

        started = time.perf_counter()
        taught = await say(telegram, PARTNERSHIP_GROUP, "/laer sparkesykkel = transportformer", PARTNERSHIP_ADMIN)
        answered = await say(telegram, OTHER_ASKER, "hva med sparkesykler?", OTHER_ASKER)
        elapsed = time.perf_counter() - started
        print(f"\n/laer → the word found in another chat, end to end, no restart: {1000 * elapsed:.0f} ms")
        assert "«sparkesykkel» finner nå tiltak 3.3" in taught
        assert "svarer nå på 1 tidligere ubesvarte spørsmål (1 ulikt)" in taught
        assert "Tiltak 3.3" in answered
        assert "Tiltak 3.3" in await say(telegram, -5005, "/sok sparkesykkel", ASKER)  # a group too

        assert "bare i privat chat" in await say(telegram, PARTNERSHIP_GROUP, "/ordliste", ADMIN)
        listing = await say(telegram, ADMIN, "/ordliste", ADMIN)
        assert f"«sparkesykkel» → transportformer · lært av {PARTNERSHIP_ADMIN} " in listing
    finally:
        await stop_bot(bot)

    bot = await start(assistant, tmp_path)  # a new process would start from the same database
    telegram = bot.telegram
    try:
        assert "Tiltak 3.3" in await say(telegram, ASKER, "sparkesykkel", ASKER)
        assert "Glemt" in await say(telegram, ADMIN, "/glem sparkesykkel", ADMIN)
        assert "finner ikke" in await say(telegram, ASKER, "sparkesykkel", ASKER)
        assert "Ingen ord er lært" in await say(telegram, ADMIN, "/ordliste", ADMIN)
    finally:
        await stop_bot(bot)


# -- the change log and /endrenavn ---------------------------------------------------------------------------
async def test_every_edit_is_in_the_change_log(bot: RunningBot) -> None:
    telegram = bot.telegram
    assert "satt til" in await say(telegram, ADMIN, "/settdato yrkesmesse 14.10.2031 kl. 09.00", ADMIN)
    refused = await say(telegram, STRANGER, "/endrenavn yrkesmesse Noe annet", STRANGER)
    assert "partnerskapets administratorer" in refused
    anonymous = {"sender_chat": telegram.chat(PARTNERSHIP_GROUP, "supergroup")}
    renamed = await say(telegram, PARTNERSHIP_GROUP, "/endrenavn yrkesmesse Yrkesmessa 2031", ANONYMOUS_ADMIN_BOT,
                        **anonymous)  # fmt: skip
    assert "<b>Regional yrkesmesse</b> heter nå <b>Yrkesmessa 2031</b>" in renamed
    assert "lagt til" in await say(telegram, ADMIN, "/nymilepael karrieredag 1.7 Karrieredag", ADMIN)
    assert "fjernet" in await say(telegram, ADMIN, "/fjernmilepael karrieredag", ADMIN)
    await say(telegram, ADMIN, "/laer sparkesykkel = transportformer", ADMIN)
    await say(telegram, ADMIN, "/glem sparkesykkel", ADMIN)
    assert "Yrkesmessa 2031" in await say(telegram, ASKER, "/milepaeler", ASKER)

    assert "bare partnerskapets administratorer" in await say(telegram, STRANGER, "/endringer", STRANGER)
    log = await say(telegram, PARTNERSHIP_ADMIN, "/endringer", PARTNERSHIP_ADMIN)
    lines = [line for line in log.splitlines() if line.startswith("• ")]
    assert [line.split(" · ")[1] for line in lines] == [
        "/glem sparkesykkel", "/laer sparkesykkel", "/fjernmilepael karrieredag", "/nymilepael karrieredag",
        "/endrenavn yrkesmesse", "/settdato yrkesmesse",
    ]  # fmt: skip
    assert f"/endrenavn yrkesmesse · bruker {PARTNERSHIP_GROUP} i chat {PARTNERSHIP_GROUP}" in log
    assert f"/settdato yrkesmesse · bruker {ADMIN} i chat {ADMIN}" in log
    assert "Regional yrkesmesse → Yrkesmessa 2031" in log
    assert "dato ikke fastsatt → tirsdag 14. oktober 2031 kl. 09.00" in log


# -- the weekly summary --------------------------------------------------------------------------------------
def summaries(telegram: FakeTelegram, chat_id: int) -> list[Call]:
    return [c for c in telegram.sent(chat_id) if "Ukesoppsummering" in c.params["text"]]


def log_last_week(tmp_path: Path) -> None:
    """Questions of the week before MONDAY_9, written as the bot writes them (UTC, to the second)."""
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    for day, text, answered in ((23, "sykkel", True), (25, "romfart", False), (29, "Romfart", False),
                                (30, "neste uke", False)):  # fmt: skip
        at = datetime(2026, 11, day, 8, 0, tzinfo=OSLO).astimezone(UTC).isoformat(timespec="seconds")
        database.execute(
            "INSERT INTO questions (asked_at, text, answered, top_id, chat_type) VALUES (?, ?, ?, ?, 'private')",
            (at, text, answered, "3.2" if answered else None),
        )
    database.close()


async def test_weekly_summary_arrives_on_monday_at_nine_once(assistant: Assistant, tmp_path: Path) -> None:
    log_last_week(tmp_path)
    bot = await start(assistant, tmp_path, clock_at(MONDAY_9 - timedelta(seconds=4)))
    telegram = bot.telegram
    try:
        assert "bare partnerskapets administratorer" in await say(telegram, STRANGER, "/statistikk ukentlig", STRANGER)
        assert "hver mandag kl. 09.00" in await say(telegram, ADMIN, "/statistikk ukentlig", ADMIN)
        assert "allerede" in await say(telegram, ADMIN, "/statistikk ukentlig", ADMIN)
        assert summaries(telegram, ADMIN) == []  # not before nine
        await telegram.wait_for(lambda: summaries(telegram, ADMIN), timeout=15)
        sent_at = bot.application.bot_data.assistant.clock()
        print(f"\nweekly summary sent at {sent_at:%H:%M:%S.%f} by the bot's clock (due 09:00:00)")
        assert sent_at >= MONDAY_9
        text = summaries(telegram, ADMIN)[0].params["text"]
        assert "uke 48" in text and "23. november – 29. november 2026" in text
        assert "Spørsmål stilt: 3\nBesvart: 1 (33 %)" in text and "• 2 × «Romfart»" in text
        assert "neste uke" not in text
        await asyncio.sleep(1)
        bot.application.bot_data.reminders.reschedule()  # an extra wake-up must not send it again
        await asyncio.sleep(1)
        assert len(summaries(telegram, ADMIN)) == 1 and bot.database.summary_statuses() == {"sent": 1}
        assert "slått av" in await say(telegram, ADMIN, "/statistikk stopp", ADMIN)
        assert bot.database.summary_subscribers() == []
    finally:
        await stop_bot(bot)


async def test_weekly_summary_due_while_down_is_sent_once_at_the_next_start(
    assistant: Assistant, tmp_path: Path
) -> None:
    log_last_week(tmp_path)
    bot = await start(assistant, tmp_path, clock_at(MONDAY_9 - timedelta(minutes=5)))
    await say(bot.telegram, ADMIN, "/statistikk ukentlig", ADMIN)
    await say(bot.telegram, PARTNERSHIP_ADMIN, "/statistikk ukentlig", PARTNERSHIP_ADMIN)
    await stop_bot(bot)  # down from 08:55 to 10:00; meanwhile PARTNERSHIP_ADMIN stops being an admin

    sent: list[int] = []
    for restart_at in (MONDAY_9 + timedelta(hours=1), MONDAY_9 + timedelta(hours=1, minutes=5)):
        bot = await start(assistant, tmp_path, clock_at(restart_at))
        bot.telegram.chat_admins[PARTNERSHIP_GROUP] = []
        try:
            await bot.telegram.wait_for(lambda b=bot: b.telegram.sent(method="setMyCommands"))
            if not sent:
                await bot.telegram.wait_for(lambda b=bot: summaries(b.telegram, ADMIN), timeout=15)
            await asyncio.sleep(1.5)
            sent.append(len(summaries(bot.telegram, ADMIN)))
            assert summaries(bot.telegram, PARTNERSHIP_ADMIN) == []
        finally:
            await stop_bot(bot)
    print(f"\nweekly summary across a restart: sent {sent[0]} at the start after 09:00, {sent[1]} on the next start")
    assert sent == [1, 0]
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    assert database.summary_statuses() == {"sent": 1, "revoked": 1}
    assert [s.chat_id for s in database.summary_subscribers()] == [ADMIN]
    database.close()


# -- the weekly summary with two processes on one database ----------------------------------------------------
SUBSCRIBERS = frozenset(range(70_001, 70_041))  # 40 admins (ADMIN_USER_IDS) who asked for the summary


def received_summaries(telegram: FakeTelegram) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in telegram.sent() if "Ukesoppsummering" in c.params["text"])


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_two_processes_on_one_database_send_each_weekly_summary_once(
    assistant: Assistant, tmp_path: Path, kind: str
) -> None:
    """As in an overlapping redeploy: two applications on one database and one Bot API, both waking at Monday
    09:00. Each summary is claimed before it is sent, so each admin gets it once."""
    with database_url(kind, tmp_path) as url:
        database = open_database(url)
        for chat_id in sorted(SUBSCRIBERS):
            database.subscribe_summary(chat_id, chat_id, MONDAY_9 - timedelta(days=3))
        telegram = FakeTelegram()
        await telegram.start()
        clock = clock_at(MONDAY_9 - timedelta(seconds=2))
        bots: list[RunningBot] = []
        try:
            for _ in range(2):
                bots.append(await start_bot(assistant, tmp_path, clock=clock, admin_user_ids=SUBSCRIBERS,
                                            database_url=url, telegram=telegram))  # fmt: skip
            await telegram.wait_for(lambda: len(received_summaries(telegram)) == len(SUBSCRIBERS), timeout=60)
            # once every summary is logged as sent, no process can claim, so none can send, any of them again
            await telegram.wait_for(lambda: database.summary_statuses() == {"sent": len(SUBSCRIBERS)}, timeout=30)
            twice = {chat: n for chat, n in received_summaries(telegram).items() if n > 1}
            assert twice == {}, f"{len(twice)} admins got the summary more than once"
            assert set(received_summaries(telegram)) == SUBSCRIBERS
            owners = database.execute("SELECT owner, COUNT(*) FROM summary_deliveries GROUP BY owner ORDER BY 2")
            print(f"\n{kind}: weekly summaries sent by each process {[int(row[1]) for row in owners]}")
            assert {row[0] for row in owners} <= {bot.application.bot_data.reminders.owner for bot in bots}
        finally:
            for bot in bots:
                await stop_bot(bot)
            await telegram.stop()
            database.close()


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_a_summary_claimed_by_a_process_that_died_is_sent_once_its_claim_goes_stale(
    assistant: Assistant, tmp_path: Path, kind: str
) -> None:
    """A process killed after claiming a summary and before sending it leaves its claim: another process
    leaves it alone while it is live and sends it once it is REMINDER_CLAIM_TIMEOUT old (a few seconds here)."""
    timeout = 6
    key = (MONDAY_9.date().isoformat(), ADMIN)
    with database_url(kind, tmp_path) as url:
        database = open_database(url)
        database.subscribe_summary(ADMIN, ADMIN, MONDAY_9 - timedelta(days=3))
        claimed_at = datetime.now(UTC)
        assert database.claim_summaries([key], "gone-host/4711/0badc0de", claimed_at - timedelta(seconds=1)) == {key}
        bot = await start_bot(assistant, tmp_path, clock=clock_at(MONDAY_9 + timedelta(minutes=10)),
                              admin_user_ids=frozenset({ADMIN}), database_url=url, claim_timeout=timeout)  # fmt: skip
        telegram = bot.telegram
        try:
            reminders = bot.application.bot_data.reminders
            await reminders.plan_round()  # a whole round while the dead process's claim is live
            assert datetime.now(UTC) < claimed_at + timedelta(seconds=timeout), "the machine was too slow to tell"
            assert summaries(telegram, ADMIN) == []
            assert reminders.wake_at <= reminders.clock() + timedelta(seconds=timeout + 1)  # it looks again then
            await telegram.wait_for(lambda: summaries(telegram, ADMIN), timeout=timeout + 15)
            await telegram.wait_for(lambda: database.summary_statuses() == {"sent": 1})
            assert database.execute("SELECT owner FROM summary_deliveries") == [(reminders.owner,)]
            assert len(summaries(telegram, ADMIN)) == 1
        finally:
            await stop_bot(bot)
            database.close()
