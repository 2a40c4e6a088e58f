"""Crash test: 1,000 subscribed chats, the bot killed (SIGKILL) in the middle of the fan-out and started again.

Afterwards every chat has its reminder (none lost), and the only repeats are reminders Telegram had accepted
but the bot had not yet logged at the kill: at most the sends in flight (FANOUT_CONCURRENCY). Their claims
are taken over once they are REMINDER_CLAIM_TIMEOUT old (a few seconds here, 120 s by default).
"""

from __future__ import annotations

import asyncio
import signal
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.storage import open_database
from bot.telegram_adapter.reminders import FANOUT_CONCURRENCY

from ..fake_telegram import FakeTelegram, bot_environment, start_bot_process

CHATS = 1000
CLAIM_TIMEOUT = "4"  # seconds


def prepare(url: str) -> None:
    now = datetime.now(OSLO)
    database = open_database(url)
    database.save_milestone(
        Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", "Indre Østfold", "once", now + timedelta(minutes=30))
    )
    with database.transaction():
        for chat_id in range(1, CHATS + 1):
            database.subscribe(10_000 + chat_id, "yrkesmesse", (Lead(60, "m"),), now - timedelta(hours=2))
    database.close()


async def start(telegram: FakeTelegram, url: str, folder: Path) -> asyncio.subprocess.Process:
    environment = bot_environment(
        url, telegram, TELEGRAM_RATE_LIMIT="off", LOG_LEVEL="WARNING", REMINDER_CLAIM_TIMEOUT=CLAIM_TIMEOUT
    )
    return await start_bot_process(environment, folder, output=asyncio.subprocess.DEVNULL)


def logged_as_sent(url: str) -> int:
    """Reminders in the delivery log as sent: each is logged after Telegram accepted it, and never sent again."""
    database = open_database(url)
    try:
        return database.delivery_statuses().get("sent", 0)
    finally:
        database.close()


def received(telegram: FakeTelegram) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in telegram.sent() if "Påminnelse" in c.params["text"])


@pytest.mark.parametrize("kill_after", [1, 500, 990])
async def test_kill_in_the_middle_of_the_fan_out(tmp_path: Path, kill_after: int) -> None:
    url = f"sqlite:///{tmp_path / 'bot.sqlite3'}"
    prepare(url)
    telegram = FakeTelegram()
    await telegram.start()
    try:
        process = await start(telegram, url, tmp_path)
        await telegram.wait_for(lambda: sum(received(telegram).values()) >= kill_after, timeout=60)
        process.send_signal(signal.SIGKILL)
        await process.wait()
        before = received(telegram)
        database = open_database(url)
        logged = {key[3] for key in database.delivered(datetime.now(OSLO).date())}
        database.close()

        process = await start(telegram, url, tmp_path)
        await telegram.wait_for(lambda: len(received(telegram)) == CHATS, timeout=90)
        await telegram.wait_for(lambda: logged_as_sent(url) == CHATS, timeout=90)  # every send is settled
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 30)  # after this, nothing more can be sent
    finally:
        if process.returncode is None:
            process.kill()
        await telegram.stop()

    after = received(telegram)
    lost = CHATS - len(after)
    repeated = {chat: count - 1 for chat, count in after.items() if count > 1}
    in_flight = set(before) - logged  # accepted by Telegram, not yet in the log at the kill
    print(f"kill after {kill_after}: sent before the kill {sum(before.values())}, logged {len(logged)}, "
          f"lost {lost}, repeated {sum(repeated.values())} (in flight at the kill: {len(in_flight)})")  # fmt: skip
    assert lost == 0
    assert set(repeated) <= in_flight and all(count == 1 for count in repeated.values())
    assert len(in_flight) <= FANOUT_CONCURRENCY
