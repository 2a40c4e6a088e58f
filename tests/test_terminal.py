"""The terminal chat as a private chat whose user is a partnership admin: subscriptions, admin commands, and
reminders printed while it waits for input (driven by a clock the test moves and lines the test types)."""

from __future__ import annotations

import asyncio
import io
import queue
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import icalendar
import pytest
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


@pytest.fixture
def chat(assistant: Assistant, tmp_path: Path) -> Iterator[TerminalChat]:
    """A terminal chat at a fixed moment, over a database of its own (closed after the test)."""
    terminal, database, _ = make_chat(assistant, tmp_path, [datetime(2027, 10, 1, 12, 0, tzinfo=OSLO)])
    yield terminal
    database.close()


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


def test_help_lists_the_admin_commands_the_terminal_runs(chat: TerminalChat) -> None:
    """Its user is an admin who can set dates and run the staff tools here: /hjelp says so, without the inline
    mode (`@bot sykkel`) that only Telegram has."""
    for typed in ("/hjelp", "hjelp"):
        reply = chat.respond(typed)
        assert "/settdato" in reply and "/nymilepael" in reply and "/varsler" in reply
        assert "/statistikk" in reply and "/laer" in reply and "/ordliste" in reply
        assert "@" not in reply and "Slik bruker du meg" in reply


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


# -- /kalender: the .ics file written into the working directory ------------------------------------------------
def calendar_chat(assistant: Assistant, tmp_path: Path, folder: Path) -> tuple[TerminalChat, Database]:
    database = open_database(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    desk = MilestoneDesk(assistant.agreement, load_milestones(assistant.agreement), database)
    clocked = Assistant(
        assistant.agreement, assistant.index, desk, clock=lambda: datetime(2027, 10, 1, 12, 0, tzinfo=OSLO)
    )
    return TerminalChat(clocked, database, out=io.StringIO(), folder=folder), database


def test_kalender_writes_the_file_with_the_chats_alarms_and_never_overwrites(
    assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "here"
    folder.mkdir()
    chat, database = calendar_chat(assistant, tmp_path, folder)
    assert "Ingen milepæler har dato ennå" in chat.respond("/kalender") and list(folder.iterdir()) == []
    chat.respond("/settdato yrkesmesse 14.10.2031 kl. 09.00")
    chat.respond("/abonner yrkesmesse 2d 30m")

    reply = chat.respond("/kalender")
    written = folder / "milepaeler.ics"
    assert f"Kalenderfilen er skrevet til {written}." in reply
    assert "Varsler i filen: 2 dager før, 30 minutter før (som påminnelsene i denne chatten)" in reply
    original = written.read_bytes()
    (event,) = icalendar.Calendar.from_ical(original).walk("VEVENT")
    assert event.start == datetime(2031, 10, 14, 9, 0, tzinfo=OSLO) and "yrkesmesse" in str(event["UID"])
    # the terminal's own subscription, not `bot ics`'s default of 14 and 1 days (a day lead rings at 09:00)
    assert [alarm["TRIGGER"].dt for alarm in event.walk("VALARM")] == [-timedelta(days=2), -timedelta(minutes=30)]

    written.write_bytes(b"the user's own file")
    again = chat.respond("/Kalender")
    assert f"skrevet til {folder / 'milepaeler-2.ics'}." in again and "milepaeler.ics fantes fra før" in again
    assert written.read_bytes() == b"the user's own file"
    assert (folder / "milepaeler-2.ics").read_bytes().replace(b"\r\n", b"\n").count(b"BEGIN:VEVENT") == 1

    listed = chat.respond("/milepaeler")  # its "Legg i kalender" button writes that milestone's file
    assert "[1] 📅 Legg i kalender: Regional yrkesmesse" in listed
    assert f"skrevet til {folder / 'yrkesmesse-2031-10-14.ics'}." in chat.respond("1")
    assert sorted(p.name for p in folder.iterdir()) == [
        "milepaeler-2.ics",
        "milepaeler.ics",
        "yrkesmesse-2031-10-14.ics",
    ]
    database.close()


def test_kalender_says_so_when_the_file_cannot_be_written(assistant: Assistant, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    chat, database = calendar_chat(assistant, tmp_path, not_a_folder)
    chat.respond("/settdato yrkesmesse 14.10.2031 kl. 09.00")
    reply = chat.respond("/kalender")
    assert f"Fikk ikke skrevet kalenderfilen i {not_a_folder} (Not a directory). Ingen fil er laget." == reply
    database.close()


# -- what a new user types: echoes, measure numbers, small talk ------------------------------------------------
CONTROL = [chr(c) for c in (*range(0x00, 0x0A), *range(0x0B, 0x20), *range(0x7F, 0xA0))]


def test_echoes_say_the_words_as_typed_and_never_a_control_character(chat: TerminalChat) -> None:
    """Markup around a word is said back whole (escaped for Telegram, so the terminal shows it as typed), never
    half-stripped; control characters and a terminal's escape sequences never reach a reply."""
    said = {
        "<b>sykkel</b>": "Dette sier avtalen om <b>sykkel</b>:",
        "<script>alert(1)</script>": "Jeg finner ikke noe om <script>alert(1)</script> i",
        "[lenke](http://evil)": "Jeg finner ikke noe om [lenke](http://evil) i",
        "&amp; &lt;": "Jeg finner ikke noe om &amp; &lt; i",
        "sykkel\x07\x1b[31m rød": "Dette sier avtalen om sykkel rød:",
        "tog\x00buss": "Dette sier avtalen om tog buss:",
        "hva sier avtalen om «sykkel»?": "Dette sier avtalen om sykkel:",
        "/tiltak 9.9\x1b[2J": "Avtalen har ikke noe tiltak 9.9",
        "/settdato yrkesmesse 14.13.2027\x07": "Datoen «14.13.2027» finnes ikke.",
    }
    for typed, expected in said.items():
        reply = chat.respond(typed)
        assert expected in reply, (typed, reply)
        assert not any(c in reply for c in CONTROL), (typed, reply)


def test_tiltak_reads_numbers_as_the_bare_form_does(chat: TerminalChat) -> None:
    """/tiltak takes a measure number as typed anywhere else (a decimal comma, a leading zero, a full stop after
    it), several at once, and says what it expects when given no number."""
    for typed in ("/tiltak 3,2", "/tiltak 03.2", "/tiltak 3.2.", "3,2", "03.2", "tiltak 3.2?"):
        assert chat.respond(typed).startswith("Tiltak 3.2 · Samferdsel og mobilitet"), typed
    both = chat.respond("/tiltak 3.2 3.3")
    assert "Tiltak 3.2 · " in both and "Tiltak 3.3 · " in both and "Avtalen har ikke" not in both
    assert "Tiltak 3.2 · " in chat.respond("/tiltak 3.2 og 3.3")
    assert chat.respond("/tiltak 3.").startswith("Innsatsområde 3: Samferdsel og mobilitet")
    unknown = chat.respond("/tiltak 9.9.")
    assert unknown.startswith("Avtalen har ikke noe tiltak 9.9. Tiltakene") and ".." not in unknown
    partly = chat.respond("/tiltak 3.2, 9.9")
    assert partly.startswith("Avtalen har ikke noe tiltak 9.9. ") and "Tiltak 3.2 · " in partly
    refused = chat.respond("/tiltak abc")
    assert "«abc» er ikke et tiltaksnummer" in refused and "/tiltak 3.2" in refused
    assert "Avtalen har ikke noe tiltak abc" not in refused


def test_milestone_edits_in_the_terminal_are_in_the_change_log(chat: TerminalChat) -> None:
    assert "Ingen endringer er gjort ennå." in chat.respond("/endringer")
    chat.respond("/settdato yrkesmesse 14.10.2027 kl. 10.00")
    chat.respond("/nymilepael karrieredag 1.7 Karrieredag for ungdomsskolene")
    chat.respond("/endrenavn karrieredag Karrieredagen")
    chat.respond("/fjernmilepael karrieredag")
    changes = chat.respond("/endringer")
    for action in ("/settdato yrkesmesse", "/nymilepael karrieredag", "/endrenavn karrieredag", "/fjernmilepael"):
        assert action in changes, action
    assert changes.count("bruker 0 i chat 0") == 4 and "Ingen endringer" not in changes


def test_small_talk_gets_its_own_reply_never_a_search(chat: TerminalChat) -> None:
    said = {
        "morn": "Hei! Skriv hva du vil vite",
        "God morgen!": "Hei! Skriv hva du vil vite",
        "takk for sist": "Hei! Skriv hva du vil vite",
        "ha det": "Ha det bra!",
        "takk": "Bare hyggelig!",
        "/sok takk": "Bare hyggelig!",
        "tusen takk for hjelpen": "Bare hyggelig!",
        "takk, men det var feil svar": "Beklager at svaret ikke traff.",
        "hvem er du?": "Jeg er Partnerskapsboten, en chatbot for partnerskapet",
        "hvem har laget deg?": "Jeg er Partnerskapsboten, en chatbot for partnerskapet",
    }
    for typed, expected in said.items():
        reply = chat.respond(typed)
        assert reply.startswith(expected), (typed, reply)
        assert "finner ikke noe" not in reply and "Dette sier avtalen" not in reply, typed
    assert "Dette sier avtalen om" in chat.respond("takk, men hva med sykkel?")  # a question after thanks
    assert chat.database.question_count() == (1, 1)  # small talk is not a question


def test_milestones_footer_fits_the_subscription(chat: TerminalChat) -> None:
    assert chat.respond("/milepaeler").endswith("Få påminnelser i denne chatten med /abonner.")
    chat.respond("/abonner")
    subscribed = chat.respond("/milepaeler")
    assert "se dem med /varsler, slå dem av med /avslutt." in subscribed and "med /abonner" not in subscribed
