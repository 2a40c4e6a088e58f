"""Issue 7 as an operator meets it: `python -m bot run` killed mid-burst, a token revoked while polling, one
chat under a long 429 at SIGTERM, getMe answering something that is not JSON."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import time
from collections import Counter
from pathlib import Path

from bot.settings import CONCURRENCY

from ..fake_telegram import FakeTelegram, bot_environment, start_bot_process


async def start(telegram: FakeTelegram, folder: Path, **settings: str) -> asyncio.subprocess.Process:
    environment = bot_environment(f"sqlite:///{folder / 'bot.sqlite3'}", telegram, LOG_LEVEL="WARNING", **settings)
    return await start_bot_process(environment, folder, output=asyncio.subprocess.PIPE)


async def stop(process: asyncio.subprocess.Process | None, telegram: FakeTelegram) -> None:
    """Whatever happened, no bot process outlives its test (one that ignores SIGTERM is killed)."""
    if process is not None and process.returncode is None:
        process.kill()
        await process.wait()
    await telegram.stop()


def answers(telegram: FakeTelegram) -> Counter[int]:
    return Counter(c.params["chat_id"] for c in telegram.sent() if "Tiltak" in c.params["text"])


async def test_sigkill_mid_burst_loses_no_question(tmp_path: Path) -> None:
    """Row 7: 60 questions, SIGKILL after the first answers, restart. Updates are acknowledged only after they
    are handled, so the window in flight comes again: none unanswered, at most 2 × BOT_CONCURRENCY answered
    twice."""
    telegram = FakeTelegram()
    await telegram.start()
    process = None
    telegram.slow["sendMessage"] = 0.05  # so the burst is still going when the kill comes
    try:
        process = await start(telegram, tmp_path)
        await telegram.wait_for(lambda: telegram.sent(method="setMyCommands"), timeout=30)
        chats = [5000 + n for n in range(60)]
        for chat in chats:
            telegram.send_text(chat, "buss")
        await telegram.wait_for(lambda: sum(answers(telegram).values()) >= 10, timeout=30)
        process.kill()
        await process.wait()
        before = sum(answers(telegram).values())

        process = await start(telegram, tmp_path)
        with contextlib.suppress(AssertionError):  # what is missing is counted below
            await telegram.wait_for(lambda: len(answers(telegram)) == len(chats), timeout=60)
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.communicate(), 30)
    finally:
        await stop(process, telegram)
    answered = answers(telegram)
    unanswered = len(chats) - len(answered)
    twice = sum(count - 1 for count in answered.values())
    print(f"SIGKILL after {before} of 60 answers: unanswered {unanswered}, answered twice {twice}")
    assert unanswered == 0
    assert twice <= 2 * CONCURRENCY
    last_offset = [c.params.get("offset", 0) for c in telegram.calls if c.method == "getUpdates"][-1]
    assert last_offset > 60  # a clean stop acknowledged everything it handled


async def test_a_token_revoked_while_polling_exits_within_seconds(tmp_path: Path) -> None:
    """Row 10: a 401 on getUpdates mid-run ends the process (non-zero, one line), not a deaf process."""
    telegram = FakeTelegram()
    await telegram.start()
    process = None
    try:
        process = await start(telegram, tmp_path)
        await telegram.wait_for(lambda: telegram.sent(method="setMyCommands"), timeout=30)
        telegram.inject("getUpdates", 401, "Unauthorized")
        telegram.send_text(111, "buss")  # ends the long poll under way; the next one is refused
        started = time.monotonic()
        _, err = await asyncio.wait_for(process.communicate(), 15)
        exited_in = time.monotonic() - started
    finally:
        await stop(process, telegram)
    log = err.decode()
    print(f"exited {exited_in:.1f} s after the 401, code {process.returncode}")
    assert process.returncode == 2, log[-2000:]
    assert "Traceback" not in log
    assert [line for line in log.splitlines() if line.startswith("error:")] == [
        "error: Telegram rejected TELEGRAM_BOT_TOKEN while polling (Unauthorized)"
    ]


async def test_sigterm_while_one_chat_waits_out_a_long_retry_after(tmp_path: Path) -> None:
    """Row 9: chat A under a 120 s 429; chat B is answered at once and SIGTERM stops the bot promptly."""
    telegram = FakeTelegram()
    await telegram.start()
    process = None
    try:
        process = await start(telegram, tmp_path)
        await telegram.wait_for(lambda: telegram.sent(method="setMyCommands"), timeout=30)
        telegram.flood(111, 120)
        telegram.send_text(111, "buss")
        await telegram.wait_for(lambda: ("sendMessage", "Too Many Requests: retry after 120") in telegram.rejected)
        waiting = asyncio.ensure_future(telegram.reply_to(222, timeout=10))
        await asyncio.sleep(0)
        telegram.send_text(222, "tog")
        assert "Tiltak 3.6" in (await waiting).params["text"]
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        _, err = await asyncio.wait_for(process.communicate(), 30)
        stopped_in = time.monotonic() - started
    finally:
        await stop(process, telegram)
    print(f"SIGTERM with a reply held back 120 s: stopped in {stopped_in:.1f} s")
    assert process.returncode == 0, err.decode()[-2000:]
    assert stopped_in < 5
    assert "1 held-back replies are not sent" in err.decode()


async def test_getme_answering_malformed_json_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """Row 15: no traceback, one clear line."""
    telegram = FakeTelegram()
    await telegram.start()
    process = None
    telegram.malformed["getMe"] = 1
    try:
        process = await start(telegram, tmp_path)
        _, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        await stop(process, telegram)
    log = err.decode().strip()
    assert process.returncode == 1, log
    assert len(log.splitlines()) == 1 and "Traceback" not in log
    assert log.startswith("error: the Bot API at http://127.0.0.1:") and "getMe" in log
