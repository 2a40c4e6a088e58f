"""The database fails and comes back, end to end against the fake Bot API (issue 7, rows 2, 3, 4 and 6).

SQLite held locked by another process for longer than any busy timeout; PostgreSQL's connections terminated
under the running bot (what a server restart does to them); two `python -m bot run` on one database.
"""

from __future__ import annotations

import asyncio
import signal
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.assistant import Assistant
from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.storage import Database, open_database

from ..fake_telegram import FakeTelegram, bot_environment, start_bot_process
from ..storage_urls import database_url, postgres_schema
from ..test_storage import terminate_bot_backends
from .conftest import ManualClock, start_bot, stop_bot
from .test_reminders_e2e import ADMIN, START, reminders, service


async def say(telegram: FakeTelegram, chat_id: int, text: str, timeout: float = 10.0) -> str:
    return str((await telegram.ask(chat_id, text, user_id=chat_id, timeout=timeout))["text"])


async def hold_write_lock(path: Path) -> asyncio.subprocess.Process:
    """Another process holding SQLite's write lock (BEGIN IMMEDIATE) until its stdin is closed."""
    script = (
        "import sqlite3, sys\n"
        f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\nprint('locked', flush=True)\nsys.stdin.read()\nc.execute('COMMIT')\n"
    )
    locker = await asyncio.create_subprocess_exec(
        sys.executable, "-c", script, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE
    )
    assert locker.stdout is not None and (await locker.stdout.readline()).strip() == b"locked"
    return locker


async def release(locker: asyncio.subprocess.Process) -> None:
    assert locker.stdin is not None
    locker.stdin.close()
    await asyncio.wait_for(locker.wait(), 10)


async def test_sqlite_locked_by_another_process(
    assistant: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Rows 2 and 6: questions are answered while the lock is held, a change that cannot be saved is reported,
    the reminder that fell due during the lock goes out after it, and so does the next one (the job lives).
    The lock is real (another process); the bot's clock is moved by the test."""
    clock = ManualClock(START)
    bot = await start_bot(assistant, tmp_path, clock=clock)
    telegram, database = bot.telegram, bot.database
    try:
        database.subscribe(111, "yrkesmesse", (Lead(2, "m"),), START - timedelta(minutes=5))
        database.subscribe(111, "fagbrevseremoni", (Lead(2, "m"),), START - timedelta(minutes=5))
        during = Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", None, "once", START + timedelta(minutes=3))
        after = Milestone("fagbrevseremoni", "Fagbrevseremoni", "1.8", None, "once", START + timedelta(minutes=4))
        database.save_milestone(during)
        database.save_milestone(after)
        await service(bot).plan_round()
        assert reminders(telegram) == []  # nothing due yet
        locker = await hold_write_lock(tmp_path / "bot.sqlite3")
        try:
            for question in ("hva sier avtalen om sykkel?", "buss", "lærlingplasser"):
                reply = await say(telegram, 111, question)
                assert "Tiltak" in reply or "tiltak" in reply
            refused = await say(telegram, 222, "/abonner", timeout=30)
            assert "ikke</b> lagret" in refused
            clock.advance(timedelta(minutes=1, seconds=30))  # the fair's reminder falls due during the lock
            await service(bot).plan_round()  # cannot claim it: the round fails, is logged, and is tried again
            assert reminders(telegram) == []
        finally:
            await release(locker)
        await service(bot).plan_round()
        assert [c.params["text"].count("Regional yrkesmesse") for c in reminders(telegram, 111)] == [1]
        clock.advance(timedelta(minutes=1))
        await service(bot).plan_round()
        texts = [call.params["text"] for call in reminders(telegram, 111)]
        assert sum("Regional yrkesmesse" in t for t in texts) == 1 and sum("Fagbrevseremoni" in t for t in texts) == 1
        assert database.subscriptions(222) == []  # reported as not saved, and indeed not saved
        assert database.delivery_statuses() == {"sent": 2}
        await telegram.wait_for(lambda: database.question_count()[0] == 3, timeout=20)  # the log caught up
        failed_rounds = [r for r in caplog.records if r.getMessage().startswith("reminders: this round failed")]
        assert failed_rounds and all("\n" not in r.getMessage() for r in failed_rounds)  # one line each
    finally:
        await stop_bot(bot)


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema() as url:
        yield url


async def test_postgresql_connections_terminated_under_the_bot(
    assistant: Assistant, tmp_path: Path, postgres_url: str
) -> None:
    """Row 3: after the server drops every connection, the next question, edit and reminder still work."""
    clock = ManualClock(START)
    bot = await start_bot(
        assistant, tmp_path, clock=clock, admin_user_ids=frozenset({ADMIN}), database_url=postgres_url
    )
    telegram = bot.telegram
    try:
        assert "Regional yrkesmesse" in await say(telegram, 111, "/abonner yrkesmesse 2m")
        assert terminate_bot_backends() >= 1
        assert "ikke fastsatt" in await say(telegram, 111, "når er yrkesmessa?")
        assert terminate_bot_backends() >= 1
        event = START + timedelta(minutes=3)
        assert "satt til" in await say(telegram, ADMIN, f"/settdato yrkesmesse {event:%d.%m.%Y} kl. {event:%H.%M}")
        assert terminate_bot_backends() >= 1
        clock.advance(timedelta(minutes=1, seconds=30))  # the 2-minute reminder is due
        await service(bot).plan_round()
        assert len(reminders(telegram, 111)) == 1
        assert bot.database.delivery_statuses() == {"sent": 1}  # logged after the send
    finally:
        await stop_bot(bot)


# -- two processes on one database -----------------------------------------------------------------------
CHATS = 1500


def prepare(url: str) -> None:
    now = datetime.now(OSLO)
    database = open_database(url)
    database.save_milestone(
        Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", None, "once", now + timedelta(hours=1))
    )
    with database.transaction():
        for chat_id in range(CHATS):
            database.subscribe(50_000 + chat_id, "yrkesmesse", (Lead(2, "t"),), now - timedelta(hours=3))
    database.close()


def all_sent(database: Database) -> bool:
    return database.delivery_statuses() == {"sent": CHATS}


@pytest.mark.parametrize("kind", ["sqlite", "postgresql"])
async def test_two_processes_on_one_database_send_each_reminder_once(tmp_path: Path, kind: str) -> None:
    """Row 4: as in an overlapping redeploy, two bots start together on one database."""
    with database_url(kind, tmp_path) as url:
        prepare(url)
        telegram = FakeTelegram()
        await telegram.start()
        environment = bot_environment(url, telegram, TELEGRAM_RATE_LIMIT="off", LOG_LEVEL="WARNING")
        processes = [await start_bot_process(environment, tmp_path) for _ in range(2)]
        database = open_database(url)
        try:

            def received() -> Counter[int]:
                return Counter(c.params["chat_id"] for c in telegram.sent() if "Påminnelse" in c.params["text"])

            await telegram.wait_for(lambda: len(received()) == CHATS, timeout=120)
            for _ in range(100):  # until every claim is settled: after that no process can send any
                if all_sent(database):
                    break
                await asyncio.sleep(0.1)
            assert all_sent(database)
            shares = database.execute("SELECT COUNT(*) FROM deliveries GROUP BY owner ORDER BY 1")
            print(f"{kind}: reminders sent by each process {[int(row[0]) for row in shares]}")
            twice = {chat: n for chat, n in received().items() if n > 1}
            assert twice == {}, f"{len(twice)} chats got their reminder more than once"
            assert len(received()) == CHATS
        finally:
            database.close()
            for process in processes:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in processes:
                try:
                    await asyncio.wait_for(process.wait(), 30)
                except TimeoutError:
                    process.kill()
                    await process.wait()
            await telegram.stop()
