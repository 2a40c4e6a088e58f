"""Who may change what, end to end: milestones are shared by every chat, so only the partnership's admins
(ADMIN_USER_IDS, and the admins of PARTNERSHIP_CHAT_ID) change them; a group's admins manage only that
group's subscriptions."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.assistant import Assistant

from ..fake_telegram import FakeTelegram
from .conftest import RunningBot, start_bot, stop_bot

ADMIN = 999  # in ADMIN_USER_IDS
PARTNERSHIP_GROUP = -1001
PARTNERSHIP_ADMIN = 501
PARTNERSHIP_MEMBER = 502
OTHER_GROUP = -2002
OTHER_GROUP_ADMIN = 777
ANONYMOUS_ADMIN_BOT = 1087968824
EDITS = (
    "/settdato yrkesmesse 14.10.2031 kl. 09.00",
    "/nymilepael karrieredag 1.7 Karrieredag",
    "/fjernmilepael yrkesmesse",
)


@pytest.fixture
async def bot(assistant: Assistant, tmp_path: Path) -> AsyncIterator[RunningBot]:
    running = await start_bot(
        assistant, tmp_path, admin_user_ids=frozenset({ADMIN}), partnership_chat_id=PARTNERSHIP_GROUP
    )
    running.telegram.chat_admins[PARTNERSHIP_GROUP] = [
        {"status": "creator", "user": FakeTelegram.user(PARTNERSHIP_ADMIN), "is_anonymous": False},
    ]
    running.telegram.chat_admins[OTHER_GROUP] = [
        {"status": "administrator", "user": FakeTelegram.user(OTHER_GROUP_ADMIN), "is_anonymous": False},
    ]
    yield running
    await stop_bot(running)


def milestone_state(bot: RunningBot) -> list[tuple[str, str | None]]:
    return [
        (m.id, m.starts_at.isoformat() if m.starts_at else None)
        for m in bot.application.bot_data.assistant.desk.current()
    ]


@pytest.mark.parametrize("edit", EDITS)
async def test_the_admin_of_an_unrelated_group_cannot_change_shared_milestones(bot: RunningBot, edit: str) -> None:
    before = milestone_state(bot)
    reply = (await bot.telegram.ask(OTHER_GROUP, edit, user_id=OTHER_GROUP_ADMIN))["text"]
    assert "partnerskapets administratorer" in reply
    private_reply = (await bot.telegram.ask(OTHER_GROUP_ADMIN, edit, user_id=OTHER_GROUP_ADMIN))["text"]
    assert "partnerskapets administratorer" in private_reply
    assert milestone_state(bot) == before


@pytest.mark.parametrize("edit", EDITS)
async def test_an_anonymous_admin_of_an_unrelated_group_cannot_either(bot: RunningBot, edit: str) -> None:
    before = milestone_state(bot)
    anonymous = {"sender_chat": bot.telegram.chat(OTHER_GROUP, "supergroup")}
    reply = (await bot.telegram.ask(OTHER_GROUP, edit, user_id=ANONYMOUS_ADMIN_BOT, **anonymous))["text"]
    assert "partnerskapets administratorer" in reply
    assert milestone_state(bot) == before


async def test_a_member_of_the_partnership_group_who_is_no_admin_cannot(bot: RunningBot) -> None:
    before = milestone_state(bot)
    for chat in (PARTNERSHIP_GROUP, PARTNERSHIP_MEMBER):
        reply = await bot.telegram.ask(chat, EDITS[0], user_id=PARTNERSHIP_MEMBER)
        assert "partnerskapets administratorer" in reply["text"]
    assert milestone_state(bot) == before


@pytest.mark.parametrize(
    ("chat", "user", "extra"),
    [(ADMIN, ADMIN, False),  # ADMIN_USER_IDS in a private chat
     (OTHER_GROUP, ADMIN, False),  # ADMIN_USER_IDS in any group
     (PARTNERSHIP_GROUP, PARTNERSHIP_ADMIN, False),  # the partnership group's admins in that group
     (PARTNERSHIP_ADMIN, PARTNERSHIP_ADMIN, False),  # … and in a private chat
     (PARTNERSHIP_GROUP, ANONYMOUS_ADMIN_BOT, True)],  # an anonymous admin of the partnership group
)  # fmt: skip
async def test_partnership_admins_may_change_milestones(bot: RunningBot, chat: int, user: int, extra: bool) -> None:
    anonymous = {"sender_chat": bot.telegram.chat(PARTNERSHIP_GROUP, "supergroup")} if extra else {}
    reply = (await bot.telegram.ask(chat, EDITS[0], user_id=user, **anonymous))["text"]
    assert "satt til" in reply
    assert ("yrkesmesse", "2031-10-14T09:00:00+02:00") in milestone_state(bot)


async def test_a_group_admin_manages_that_groups_subscriptions_only(bot: RunningBot) -> None:
    telegram = bot.telegram
    assert "bare administratorer" in (await telegram.ask(OTHER_GROUP, "/abonner", user_id=PARTNERSHIP_MEMBER))["text"]
    assert "alle milepæler" in (await telegram.ask(OTHER_GROUP, "/abonner", user_id=OTHER_GROUP_ADMIN))["text"]
    # an admin elsewhere is a plain member here
    for command in ("/abonner", "/avslutt"):
        reply = await telegram.ask(PARTNERSHIP_GROUP, command, user_id=OTHER_GROUP_ADMIN)
        assert "bare administratorer" in reply["text"]
    assert [s.chat_id for s in bot.database.subscriptions()] == [OTHER_GROUP]
