"""Anything people send, and anything the network does, gets a short reply or nothing, never a crash."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest

from bot.assistant import Assistant

from .conftest import RunningBot, start_bot, stop_bot
from .test_private_and_group import GROUP, PRIVATE


async def test_non_text_messages(running: RunningBot) -> None:
    telegram = running.telegram
    sticker = {"file_id": "s", "file_unique_id": "s", "type": "regular", "width": 1, "height": 1,
               "is_animated": False, "is_video": False}  # fmt: skip
    others = [
        {"sticker": sticker},
        {"photo": [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]},
        {"voice": {"file_id": "v", "file_unique_id": "v", "duration": 1}},
        {"location": {"latitude": 59.6, "longitude": 11.2}},
        {"document": {"file_id": "d", "file_unique_id": "d"}},
    ]
    for extra in others:
        assert "bare tekst" in (await telegram.ask(PRIVATE, None, **extra))["text"]
        telegram.push({"message": telegram.message(GROUP, None, chat_type="supergroup", **extra)})
    telegram.push({"channel_post": {**telegram.message(-1009, "sykkel", chat_type="channel"), "from": None}})
    edited = telegram.message(PRIVATE, "buss")
    edited["edit_date"] = int(time.time())
    telegram.push({"edited_message": edited})
    assert "Tiltak 3.4" in (await telegram.reply_to(PRIVATE)).params["text"]
    await running.idle()
    assert telegram.sent(GROUP) == [] and telegram.sent(-1009) == []
    assert telegram.rejected == []  # nothing refused: no bad HTML, nothing too long


async def test_hostile_text(running: RunningBot) -> None:
    telegram = running.telegram
    for text in ["<b>sykkel</b> & <script>", "x" * 4096, "😀" * 50, "\x00\x01\x1b[31m buss", "ø" * 4096,
                 "3.2 " * 1000, "/sok " + "sykkel " * 600]:  # fmt: skip
        reply = await telegram.ask(PRIVATE, text[:4096])
        assert reply["text"]
    assert telegram.rejected == []  # no "can't parse entities", nothing over 4096


async def test_429_is_waited_out_and_delivered(running: RunningBot) -> None:
    telegram = running.telegram
    telegram.inject("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    started = time.monotonic()
    reply = await telegram.ask(PRIVATE, "buss")
    assert "Tiltak 3.4" in reply["text"] and time.monotonic() - started >= 0.9
    assert len([c for c in telegram.calls if c.method == "sendMessage"]) == 2


async def test_5xx_on_send_is_retried(running: RunningBot) -> None:
    telegram = running.telegram
    telegram.inject("sendMessage", 502, "Bad Gateway")
    reply = await telegram.ask(PRIVATE, "tog")
    assert "Tiltak 3.6" in reply["text"]


async def test_502_on_get_updates_and_recovery(running: RunningBot) -> None:
    telegram = running.telegram
    telegram.inject("getUpdates", 502, "Bad Gateway")
    telegram.inject("getUpdates", 502, "Bad Gateway")
    await telegram.wait_for(lambda: not telegram.faults["getUpdates"], timeout=15)
    reply = await telegram.ask(PRIVATE, "båt")
    assert "Tiltak 3.4" in reply["text"]


async def test_blocked_user_is_logged_not_crashed(
    assistant: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    bot = await start_bot(assistant, tmp_path)
    try:
        bot.telegram.blocked_chats.add(PRIVATE)
        update_id = bot.telegram.send_text(PRIVATE, "buss")
        await bot.idle()  # the update and its error handler are done
        assert ("sendMessage", "Forbidden: bot was blocked by the user") in bot.telegram.rejected
        failures = [r.getMessage() for r in caplog.records if r.name == "bot" and r.levelname == "ERROR"]
        assert failures == [f"update {update_id} failed: Forbidden: bot was blocked by the user"]
        bot.telegram.blocked_chats.clear()
        assert "Tiltak 3.4" in (await bot.telegram.ask(PRIVATE, "buss"))["text"]
    finally:
        await stop_bot(bot)


async def test_a_bot_built_in_process_never_logs_the_token(
    assistant: Assistant, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """No `configure_logging` here (and so no redaction, which DEBUG needs): at INFO, building the application
    alone keeps httpx, which logs every URL, away from the token."""
    logging.getLogger("httpx").setLevel(logging.NOTSET)  # as in a fresh process
    caplog.set_level(logging.INFO)
    bot = await start_bot(assistant, tmp_path)
    try:
        assert "Tiltak 3.4" in (await bot.telegram.ask(PRIVATE, "buss"))["text"]
    finally:
        await stop_bot(bot)
    assert caplog.records and bot.telegram.token.split(":")[1] not in caplog.text
