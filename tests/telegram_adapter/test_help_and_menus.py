"""Where the commands show: /hjelp and Telegram's command menus list what the person may use, derived from
the permission in `bot.commands` (so a command added to the table lands in the right menus by itself)."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import commands
from bot.assistant import Assistant

from ..conftest import REPO_DIR
from ..fake_telegram import FakeTelegram
from .conftest import RunningBot, start_bot, stop_bot

ADMIN = 999  # in ADMIN_USER_IDS, has a private chat with the bot
ADMIN_WITHOUT_CHAT = 998  # in ADMIN_USER_IDS, never opened the bot: Telegram answers "chat not found"
PARTNERSHIP_GROUP = -1001
PARTNERSHIP_ADMIN = 501  # an administrator of PARTNERSHIP_CHAT_ID
MEMBER = 502
OTHER_GROUP = -2002

ADMIN_NAMES = {c.name for c in commands.COMMANDS if c.admin_only}
CHAT_ADMIN_NAMES = {c.name for c in commands.COMMANDS if c.permission is commands.Permission.CHAT_ADMIN}
PRIVATE_NAMES = {c.name for c in commands.for_scope(commands.Scope.PRIVATE)}
GROUP_NAMES = {c.name for c in commands.for_scope(commands.Scope.GROUP)}


@pytest.fixture
async def bot(assistant: Assistant, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running = await start_bot(
        assistant,
        tmp_path,
        admin_user_ids=frozenset({ADMIN, ADMIN_WITHOUT_CHAT}),
        partnership_chat_id=PARTNERSHIP_GROUP,
        unknown_chats={ADMIN_WITHOUT_CHAT},
        chat_admins={
            PARTNERSHIP_GROUP: [
                {"status": "creator", "user": FakeTelegram.user(PARTNERSHIP_ADMIN), "is_anonymous": False},
                {"status": "administrator", "user": {**FakeTelegram.user(4242), "is_bot": True}},
            ]
        },
    )
    yield running
    await stop_bot(running)


def test_the_table_has_admin_commands_to_hide() -> None:
    assert {"settdato", "nymilepael", "fjernmilepael"} <= ADMIN_NAMES
    assert "kalender" in PRIVATE_NAMES & GROUP_NAMES and "kalender" not in ADMIN_NAMES | CHAT_ADMIN_NAMES


async def test_menus_per_scope_list_what_that_person_may_use(bot: RunningBot) -> None:
    menus = bot.telegram.menus()
    everyone = set(menus[("all_private_chats",)])
    assert everyone == PRIVATE_NAMES - ADMIN_NAMES  # own subscriptions are anyone's business in private
    assert set(menus[("all_group_chats",)]) == GROUP_NAMES - ADMIN_NAMES - CHAT_ADMIN_NAMES
    assert set(menus[("all_chat_administrators",)]) == GROUP_NAMES - ADMIN_NAMES
    for admin in (ADMIN, PARTNERSHIP_ADMIN):  # each admin's own private chat, ADMIN_USER_IDS and the group's
        assert set(menus[("chat", admin)]) == PRIVATE_NAMES
    assert set(menus[("chat_administrators", PARTNERSHIP_GROUP)]) == GROUP_NAMES
    assert set(menus[("chat_member", PARTNERSHIP_GROUP, ADMIN)]) == GROUP_NAMES
    assert ("chat", 4242) not in menus  # the bot itself is not an admin to serve
    assert menus[("all_private_chats",)][:2] == ["start", "hjelp"]  # the table's order


async def test_an_admin_who_never_opened_the_bot_does_not_stop_the_start(
    bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    menus = bot.telegram.menus()
    assert ("chat", ADMIN_WITHOUT_CHAT) not in menus and ("chat", ADMIN) in menus  # 998 failed, 999 came after
    assert ("setMyCommands", "Bad Request: chat not found") in bot.telegram.rejected
    warnings = [r for r in caplog.get_records("setup") if "no command menu" in r.getMessage()]
    assert [r.levelno for r in warnings] == [logging.WARNING]
    assert "/settdato" in (await bot.telegram.ask(ADMIN, "/hjelp", user_id=ADMIN))["text"]  # and the bot answers


async def test_help_lists_the_admin_commands_for_admins_only(bot: RunningBot) -> None:
    telegram = bot.telegram

    def admin_commands_in(text: str) -> set[str]:
        return {name for name in ADMIN_NAMES if re.search(rf"/{name}\b", text)}

    for_admin = (await telegram.ask(ADMIN, "/hjelp", user_id=ADMIN))["text"]
    assert "For partnerskapets administratorer" in for_admin and admin_commands_in(for_admin) == ADMIN_NAMES
    for_member = (await telegram.ask(MEMBER, "/hjelp", user_id=MEMBER))["text"]
    assert "administratorer" not in for_member and admin_commands_in(for_member) == set()
    assert "/kalender" in for_member and "/abonner" in for_member
    in_group = (await telegram.ask(PARTNERSHIP_GROUP, "/hjelp", user_id=PARTNERSHIP_ADMIN))["text"]  # the group's admin
    assert admin_commands_in(in_group) == ADMIN_NAMES & GROUP_NAMES and "/start" not in in_group
    assert admin_commands_in((await telegram.ask(OTHER_GROUP, "/help", user_id=MEMBER))["text"]) == set()


def test_the_readme_documents_every_command_and_who_may_use_it() -> None:
    """A row `| /name … | who | what |` for each command of the table."""
    readme = (REPO_DIR / "README.md").read_text(encoding="utf-8")
    who = {
        commands.Permission.ANYONE: "anyone",
        commands.Permission.CHAT_ADMIN: "chat admins",
        commands.Permission.PARTNERSHIP_ADMIN: "partnership admins",
    }
    for entry in commands.COMMANDS:
        row = re.search(rf"^\| `/{entry.name}\b[^|]*` \| ([^|]+) \|", readme, re.MULTILINE)
        assert row, f"README.md has no row for /{entry.name}"
        if entry.permission in who:
            assert row.group(1).strip() == who[entry.permission], entry.name
