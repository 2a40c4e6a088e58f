"""`python -m bot run` as an operator starts it: settings, token checks, logs, SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
import time
from pathlib import Path

from bot.telegram_adapter.logs import RedactingFormatter

from ..fake_telegram import FakeTelegram, bot_environment, start_bot_process

PERSON = 987_654_321  # a user id no timestamp or port number contains


async def start_process(env: dict[str, str], tmp_path: Path) -> asyncio.subprocess.Process:
    environment = bot_environment(f"sqlite:///{tmp_path / 'bot.sqlite3'}", **env)
    return await start_bot_process(environment, tmp_path, output=asyncio.subprocess.PIPE)


async def test_no_token_exits_2_with_one_clear_line(tmp_path: Path) -> None:
    process = await start_process({}, tmp_path)
    _, err = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 2
    assert err.decode().strip().splitlines() == [err.decode().strip()] and "TELEGRAM_BOT_TOKEN" in err.decode()


async def test_rejected_token_exits_2_without_traceback_or_token(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    try:
        wrong = "987654:WrongTokenWrongTokenWrongToken"
        process = await start_process({"TELEGRAM_BOT_TOKEN": wrong, "TELEGRAM_API_BASE_URL": telegram.base_url},
                                      tmp_path)  # fmt: skip
        out, err = await asyncio.wait_for(process.communicate(), 30)
    finally:
        await telegram.stop()
    assert process.returncode == 2, err.decode()[-2000:]
    assert "rejected TELEGRAM_BOT_TOKEN" in err.decode() and "Traceback" not in err.decode()
    assert wrong not in (out + err).decode() and wrong.split(":")[1] not in (out + err).decode()


async def test_runs_answers_logs_no_token_and_stops_on_sigterm(tmp_path: Path) -> None:
    telegram = FakeTelegram()
    await telegram.start()
    try:
        process = await start_process({"TELEGRAM_BOT_TOKEN": telegram.token,
                                       "TELEGRAM_API_BASE_URL": telegram.base_url, "LOG_LEVEL": "DEBUG"}, tmp_path)  # fmt: skip
        await telegram.wait_for(lambda: telegram.sent(method="setMyCommands"), timeout=30)
        reply = await telegram.ask(PERSON, "hva sier avtalen om sykkel?", user_id=PERSON, timeout=20)
        assert "Tiltak 3.2" in reply["text"]
        process.send_signal(signal.SIGTERM)
        started = time.monotonic()
        out, err = await asyncio.wait_for(process.communicate(), 30)
        stopped_in = time.monotonic() - started
    finally:
        await telegram.stop()
    log = (out + err).decode()
    assert process.returncode == 0, log[-2000:]
    assert stopped_in < 5, stopped_in
    assert telegram.token not in log and telegram.token.split(":")[1] not in log
    assert " DEBUG " in log  # DEBUG was on ...
    for personal in ("sykkel", str(PERSON), "Kari"):  # ... and still no question, user id or name, at any level
        assert personal not in log, [line for line in log.splitlines() if personal in line][:2]
    assert (tmp_path / "bot.sqlite3").exists()


def test_every_log_line_is_redacted() -> None:
    formatter = RedactingFormatter(["424242:secret"], "%(message)s")
    record = logging.LogRecord("x", logging.DEBUG, __file__, 1, "GET https://api/bot%s/getMe", ("424242:secret",), None)
    assert formatter.format(record) == "GET https://api/bot[token]/getMe"
