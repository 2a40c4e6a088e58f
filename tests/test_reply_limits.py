"""Every reply builder, fed huge and odd input, gives messages Telegram accepts once `render.pages` has cut
them: valid HTML, at most 4,096 UTF-16 code units after entity parsing (the check `tests/html_check.py` makes
and the fake Bot API enforces)."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.assistant import Assistant
from bot.conversation import respond_to_text
from bot.milestones.dates import OSLO, Lead
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import Milestone, load_milestones
from bot.render import Reply, first_page, pages
from bot.storage import open_database

from .html_check import telegram_html_errors

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)
HUGE = st.one_of(
    st.text(max_size=300),
    st.builds(lambda text, times: text * times, st.text(min_size=1, max_size=12), st.integers(1, 800)),
    st.builds(lambda times: "😀<&> ø" * times, st.integers(1, 1500)),
)
COMMANDS = ["/sok ", "/tiltak ", "/start ", "/hjelp", "/innhold", "/om", "/milepaeler ", "/tull ", ""]


def accepted(reply: Reply) -> None:
    for page in pages(reply.html):
        assert telegram_html_errors(page) == [], page[:300]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HUGE, st.sampled_from(COMMANDS))
def test_every_question_and_command_reply_fits(assistant: Assistant, text: str, command: str) -> None:
    accepted(respond_to_text(assistant, command + text, "partnerbot"))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HUGE, st.sampled_from(["q:0:", "q:3:", "h:", "m:", "a:", "c", ""]))
def test_every_button_reply_fits(assistant: Assistant, text: str, kind: str) -> None:
    accepted(assistant.on_button((kind + text).encode()[:64].decode(errors="ignore")))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(HUGE)
def test_every_inline_result_fits(assistant: Assistant, text: str) -> None:
    for article in assistant.inline(text):
        assert telegram_html_errors(first_page(article.html)) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(
    HUGE,
    st.lists(st.tuples(HUGE, HUGE), min_size=1, max_size=40),
    st.lists(st.integers(1, 366), min_size=1, max_size=366),
)
def test_every_milestone_reply_fits(
    assistant: Assistant, text: str, stored: list[tuple[str, str]], lead_days: list[int]
) -> None:
    """Milestones with any title and place (as the database may hold them), a subscription with up to 366
    lead times, and every milestone command with any argument."""
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bot.sqlite3'}")
        try:
            desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
            for n, (title, place) in enumerate(stored):
                database.save_milestone(
                    Milestone(f"m-{n}", title or "x", "1.7", place or None, "once", NOW + timedelta(days=n + 1))
                )
            database.subscribe(-5, "yrkesmesse", tuple(Lead(days, "d") for days in set(lead_days)), NOW)
            with_desk = Assistant(assistant.agreement, assistant.index, desk, lambda: NOW)
            accepted(desk.list_reply(NOW))
            accepted(desk.chat_reminders(-5, NOW))
            accepted(with_desk.answer("når er yrkesmessa?").reply)
            for command in ("abonner", "avslutt", "varsler", "settdato", "nymilepael", "fjernmilepael"):
                accepted(desk.run(command, -6, text, NOW))
                accepted(desk.run(command, -6, "yrkesmesse " + text, NOW))
        finally:
            database.close()


def test_echoed_input_is_shortened(assistant: Assistant) -> None:
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'bot.sqlite3'}")
        try:
            desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
            long = "x" * 4000
            for command, args in [("abonner", long), ("abonner", "yrkesmesse 1d " + long), ("avslutt", long),
                                  ("settdato", "yrkesmesse " + long), ("settdato", long + " 1.1.2030"),
                                  ("nymilepael", long + " 1.7 Tittel"), ("nymilepael", "ny " + long + " Tittel"),
                                  ("fjernmilepael", long)]:  # fmt: skip
                assert len(desk.run(command, -6, args, NOW).html) < 600, command
            assert len(respond_to_text(assistant, "/tiltak " + long, "partnerbot").html) < 600
        finally:
            database.close()
