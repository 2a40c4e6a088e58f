"""The terminal chat as a private chat whose user is a partnership admin: subscriptions, admin commands, and
reminders printed while it waits for input (driven by a clock the test moves and lines the test types)."""

from __future__ import annotations

import asyncio
import io
import queue
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from pytest import MonkeyPatch

from bot.assistant import Assistant
from bot.conversation import TERMINAL_CHAT_ID
from bot.milestones.dates import OSLO
from bot.milestones.desk import MilestoneDesk
from bot.milestones.model import load_milestones
from bot.storage import Database, open_database
from bot.terminal import PROMPT, TerminalChat


class Typist:
    """Lines typed at the prompt, one at a time (the chat reads them in its own thread)."""

    def __init__(self) -> None:
        self.lines: queue.Queue[str | None] = queue.Queue()

    def type(self, line: str | None) -> None:
        self.lines.put(line)

    def read(self) -> str | None:
        return self.lines.get(timeout=30)


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out waiting"
        await asyncio.sleep(0.01)


def make_chat(assistant: Assistant, tmp_path: Path, now: list[datetime]) -> tuple[TerminalChat, Database, io.StringIO]:
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
    clocked = Assistant(assistant.agreement, assistant.index, desk, clock=lambda: now[0])
    out = io.StringIO()
    return TerminalChat(clocked, database, out=out), database, out


async def test_admin_commands_subscriptions_and_reminders_while_waiting(assistant: Assistant, tmp_path: Path) -> None:
    now = [datetime(2027, 10, 1, 12, 0, tzinfo=OSLO)]
    chat, database, out = make_chat(assistant, tmp_path, now)
    typist = Typist()
    running = asyncio.ensure_future(chat.run(typist.read))

    async def say(line: str, expected: str) -> None:
        typist.type(line)
        await wait_until(lambda: expected in out.getvalue())

    await say("/varsler", "abonnerer ikke på påminnelser")
    await say("/settdato yrkesmesse 14.10.2027 kl. 10.00", "er satt til torsdag 14. oktober 2027 kl. 10.00")
    await say("/abonner messa 30m 1d", "påminnelser om Regional yrkesmesse, 1 dag før, 30 minutter før")
    await say("/varsler", "Neste: Regional yrkesmesse, torsdag 14. oktober 2027 kl. 10.00, om 13 dager.")
    await say(
        "/nymilepael karrieredag 1.7 Karrieredag for ungdomsskolene",
        "Milepælen Karrieredag for ungdomsskolene (tiltak 1.7) er lagt til",
    )
    await say("/milepæler", "Navn i kommandoer: karrieredag")
    await say("/fjernmilepael karrieredag", "Milepælen Karrieredag for ungdomsskolene er fjernet.")
    assert "Påminnelse:" not in out.getvalue()

    # The day before, at 09:00: the 1-day reminder is printed while the chat waits for the next line.
    now[0] = datetime(2027, 10, 13, 9, 0, tzinfo=OSLO)
    chat.poke()
    await wait_until(lambda: "⏰ Påminnelse: Regional yrkesmesse\n" in out.getvalue())
    assert out.getvalue().endswith(PROMPT)  # the prompt is shown again below it
    assert "Torsdag 14. oktober 2027 kl. 10.00 (om 1 dag)" in out.getvalue()
    assert database.delivery_statuses() == {"sent": 1}

    # Once: another wake-up and another line later, still one; then 30 minutes before, the next.
    chat.poke()
    await say("/om", "Avtalen er inngått mellom")
    assert out.getvalue().count("Påminnelse:") == 1
    now[0] = datetime(2027, 10, 14, 9, 31, tzinfo=OSLO)
    chat.poke()
    await wait_until(lambda: "om 29 min" in out.getvalue())
    assert out.getvalue().count("Påminnelse:") == 2
    delivered = database.delivered(now[0].date() - timedelta(days=5))
    assert {key[3] for key in delivered} == {TERMINAL_CHAT_ID}

    await say("/avslutt", "Påminnelsene er slått av for denne chatten.")
    typist.type("/slutt")
    await asyncio.wait_for(running, 10)
    database.close()


async def test_buttons_and_the_end_of_input(assistant: Assistant, tmp_path: Path) -> None:
    now = [datetime(2027, 10, 1, 12, 0, tzinfo=OSLO)]
    chat, database, out = make_chat(assistant, tmp_path, now)
    typist = Typist()
    running = asyncio.ensure_future(chat.run(typist.read))
    typist.type("/innhold")
    await wait_until(lambda: "[3] 3. Samferdsel og mobilitet" in out.getvalue())
    typist.type("3")
    await wait_until(lambda: "Innsatsområde 3: Samferdsel og mobilitet" in out.getvalue())
    typist.type("99")
    await wait_until(lambda: "Det er ingen knapp med det nummeret." in out.getvalue())
    typist.type(None)  # Ctrl-D
    await asyncio.wait_for(running, 10)
    database.close()


def test_help_lists_the_admin_commands_the_terminal_runs(assistant: Assistant, tmp_path: Path) -> None:
    """Its user is an admin who can set dates and run the staff tools here: /hjelp says so, without the inline
    mode (`@bot sykkel`) that only Telegram has."""
    chat, database, _ = make_chat(assistant, tmp_path, [datetime(2027, 10, 1, 12, 0, tzinfo=OSLO)])
    for typed in ("/hjelp", "hjelp"):
        reply = chat.respond(typed)
        assert "/settdato" in reply and "/nymilepael" in reply and "/varsler" in reply
        assert "/statistikk" in reply and "/laer" in reply and "/ordliste" in reply
        assert "@" not in reply and "Slik bruker du meg" in reply
    database.close()


class Tty(io.StringIO):
    """What a terminal's stdout says of itself (the subprocess tests only ever see a pipe)."""

    def isatty(self) -> bool:
        return True


def test_bold_and_italics_in_a_terminal(assistant: Assistant, tmp_path: Path, monkeypatch: MonkeyPatch) -> None:
    """In a terminal the terminal's own bold and italics; with NO_COLOR, or into a pipe, the plain words."""
    monkeypatch.delenv("NO_COLOR", raising=False)
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    chat = TerminalChat(assistant, database, out=Tty())
    reply = chat.respond("sykkel")
    assert "\x1b[1mTiltak 3.8\x1b[22m" in reply and "\x1b[1msykkel\x1b[22m" in reply and "*" not in reply
    monkeypatch.setenv("NO_COLOR", "1")
    plain_reply = TerminalChat(assistant, database, out=Tty()).respond("sykkel")
    assert "\x1b[" not in plain_reply and "Tiltak 3.8 · " in plain_reply and "*" not in plain_reply
    database.close()
