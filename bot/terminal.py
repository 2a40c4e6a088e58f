"""The terminal chat: a private chat with the bot whose user is a partnership admin, without Telegram.

Everything a private chat can do works here — questions, buttons (typed as numbers), subscriptions, /varsler,
the admin commands and the staff tools (/statistikk, /laer …) — and reminders this chat subscribed to are
printed when they fall due, also while the chat waits for input. That needs two things at once, so the chat
runs a small asyncio loop: a daemon thread reads lines (so `input()` keeps its line editing, and Ctrl-C or the
end of input never waits on it), and the loop wakes for whichever comes first, a line or the next reminder.
Checking only before each prompt would hold a reminder back until someone typed something.

Subscriptions are kept under chat id 0 (`TERMINAL_CHAT_ID`), which no Telegram chat has: in a database the
Telegram bot shares, it neither sends the terminal's reminders nor sees its chat as gone. For the same reason
the weekly summary (/statistikk ukentlig) stays in Telegram.

Where Telegram sends a document, the terminal writes a file: /kalender (and a "Legg i kalender" button) writes
the .ics file into the working directory, under a name no file has yet, so nothing there is ever overwritten.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TextIO

from bot import callbacks, commands, render, texts
from bot.assistant import Answer, Assistant
from bot.conversation import TERMINAL_CHAT_ID, parse_command, respond_to_text
from bot.milestones.desk import CalendarFile
from bot.milestones.planner import plan
from bot.render import Button, Reply, escape
from bot.staff.desk import StaffDesk
from bot.storage import Database

PROMPT = "> "
USERNAME = "partnerskapsbot"  # the bot's name in /hjelp's inline example; the terminal has no Telegram name
MAX_WAIT = 60.0  # seconds: plan again at least this often (a date set by the Telegram bot, a clock change)
QUIT = {"/slutt", "/quit", "/exit"}
MAX_NUMBERED = 999  # milepaeler.ics, milepaeler-2.ics … milepaeler-999.ics; then the chat says it cannot write


def write_new_file(folder: Path, name: str, content: bytes) -> Path:
    """Write `content` to `name` in `folder`, or, if a file has that name, to the first free `stem-2.ext`,
    `stem-3.ext` …: created exclusively, so an existing file (even one made a moment ago) is never overwritten.
    Raises `OSError`; a file left half-written is removed."""
    stem, suffix = Path(name).stem, Path(name).suffix
    for number in range(1, MAX_NUMBERED + 1):
        path = folder / (name if number == 1 else f"{stem}-{number}{suffix}")
        try:
            handle = path.open("xb")
        except FileExistsError:
            continue
        try:
            with handle:
                handle.write(content)
        except OSError:
            path.unlink(missing_ok=True)
            raise
        return path
    raise FileExistsError(f"{name} and {MAX_NUMBERED - 1} numbered files like it exist")


def styled(stream: TextIO) -> bool:
    """Whether bold and italics may be shown with the terminal's escape codes: a terminal, not a pipe or a file,
    and no NO_COLOR (no-color.org) set."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def terminal(reply: Reply, ansi: bool = False) -> str:
    """A reply as the terminal shows it: plain text (bold and italics as escape codes with `ansi`), buttons
    numbered."""
    lines = [render.plain(reply.html, ansi)]
    buttons = [button for row in reply.buttons for button in row]
    if buttons:
        lines.append("  ".join(f"[{number}] {button.text}" for number, button in enumerate(buttons, 1)))
    return "\n".join(lines)


def line_editing() -> None:
    """Arrow keys and history at the prompt, where the platform has readline (importing it is what turns
    it on for `input()`)."""
    if sys.stdin.isatty():
        with contextlib.suppress(ImportError):
            import readline  # noqa: F401


def typed_so_far() -> str:
    """What the person has typed at the prompt but not yet sent (readline keeps it; "" without it)."""
    readline = sys.modules.get("readline")
    return str(readline.get_line_buffer()) if readline is not None else ""


def read_input() -> str | None:
    """One line typed at the prompt; None at the end of input (Ctrl-D, or the end of a pipe)."""
    try:
        return input(PROMPT)
    except EOFError:
        return None


class TerminalChat:
    def __init__(
        self,
        assistant: Assistant,
        database: Database,
        out: TextIO = sys.stdout,
        clock: Callable[[], datetime] | None = None,
        folder: Path | None = None,
    ) -> None:
        self.assistant = assistant
        self.folder = folder or Path.cwd()  # where /kalender writes its file
        self.database = database
        self.out = out
        self.clock = clock or assistant.clock
        self.staff = StaffDesk(assistant, database)  # its user is a partnership admin: the staff tools too
        self.ansi = styled(out)
        self._buttons: list[Button] = []
        self._waiting = False  # a prompt is showing: a reminder printed now redraws it
        self._wake: asyncio.Event | None = None

    def respond(self, line: str) -> str:
        """The reply to one typed line, as text; a number presses that button of the last reply."""
        line = line.strip()
        if line.isdigit() and self._buttons:
            number = int(line)
            if not 1 <= number <= len(self._buttons):
                return texts.CHAT_NO_SUCH_BUTTON
            data = self._buttons[number - 1].data
            action = callbacks.parse(data)
            if isinstance(action, callbacks.StatisticsPage):
                reply = self.staff.statistics_page(data)
            elif isinstance(action, callbacks.AddToCalendar):
                reply = self.calendar(action.milestone_id)
            else:
                reply = self.assistant.on_button(data)
        elif (parsed := parse_command(line)) and commands.resolve(parsed[0]) is commands.CALENDAR:
            reply = self.calendar()
        else:
            reply = respond_to_text(self.assistant, line, USERNAME, TERMINAL_CHAT_ID, self.staff, self._log)
        self._buttons = [button for row in reply.buttons for button in row]
        return terminal(reply, self.ansi)

    def calendar(self, milestone_id: str | None = None) -> Reply:
        """/kalender (every dated milestone) or a "Legg i kalender" button (one): the file Telegram sends and
        `python -m bot ics` prints, alarms as this chat's subscriptions, written to a new file in `folder`."""
        made = self.assistant.desk.calendar(self.clock(), TERMINAL_CHAT_ID, milestone_id)
        if not isinstance(made, CalendarFile):  # no date to put in a calendar: the message says so
            return made
        try:
            path = write_new_file(self.folder, made.filename, made.content)
        except OSError as error:
            reason = error.strerror or str(error)
            return Reply(texts.CALENDAR_NOT_WRITTEN.format(folder=escape(str(self.folder)), reason=escape(reason)))
        lines = [made.caption, texts.CALENDAR_WRITTEN.format(path=escape(str(path.absolute())))]
        if path.name != made.filename:
            lines.append(texts.CALENDAR_KEPT.format(name=escape(made.filename)))
        return Reply("\n".join(lines))

    def _log(self, question: str, answer: Answer) -> None:
        """The question in the anonymous question log, as a Telegram chat's is: /statistikk counts it."""
        asked_at = self.clock().astimezone(UTC)
        self.database.log_question(question, answer.answered, answer.top_id, "terminal", asked_at)

    def deliver_due(self) -> datetime | None:
        """Print the reminders due for this chat and log them as sent (once, as in Telegram); when the next
        falls due."""
        now = self.clock()
        desk = self.assistant.desk
        current = plan(
            desk.current(),
            self.database.subscriptions(TERMINAL_CHAT_ID),
            self.database.delivered((now - timedelta(days=400)).date()),
            now,
        )
        for delivery in current.superseded:
            self.database.record_delivery(delivery.key, "superseded")
        for delivery in current.due:
            self._print(render.plain(desk.reminder_text(delivery, now), self.ansi))
            self.database.record_delivery(delivery.key, "sent")
        return current.next_at

    def poke(self) -> None:
        """Plan again now (the clock moved, or another process changed the milestones)."""
        if self._wake is not None:
            self._wake.set()

    def _print(self, text: str) -> None:
        if self._waiting:  # below the prompt, then the prompt again with what was typed so far
            self.out.write(f"\n{text}\n\n{PROMPT}{typed_so_far()}")
        else:
            self.out.write(f"{text}\n\n")
        self.out.flush()

    async def run(self, read_line: Callable[[], str | None] = read_input) -> None:
        """Until /slutt or the end of input; `read_line` blocks in a thread of its own."""
        loop = asyncio.get_running_loop()
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        ready = threading.Event()  # the reply is printed: the reader may prompt for the next line
        self._wake = asyncio.Event()

        def reader() -> None:
            while True:
                ready.wait()
                ready.clear()
                try:
                    line = read_line()
                except KeyboardInterrupt:  # Ctrl-C at the prompt when the main thread is not the reader
                    line = None
                loop.call_soon_threadsafe(lines.put_nowait, line)
                if line is None:
                    return

        threading.Thread(target=reader, name="terminal-input", daemon=True).start()
        self._waiting = True
        ready.set()
        next_line = asyncio.ensure_future(lines.get())
        wake = asyncio.ensure_future(self._wake.wait())
        try:
            while True:
                next_at = self.deliver_due()
                delay = MAX_WAIT
                if next_at is not None:
                    delay = min(MAX_WAIT, max(0.0, (next_at - self.clock()).total_seconds()))
                await asyncio.wait({next_line, wake}, timeout=delay, return_when=asyncio.FIRST_COMPLETED)
                if wake.done():
                    self._wake.clear()
                    wake = asyncio.ensure_future(self._wake.wait())
                if not next_line.done():
                    continue
                line = next_line.result()
                self._waiting = False
                if line is None:
                    self.out.write("\n")
                    break
                if line.strip() in QUIT:
                    break
                if line.strip():
                    self.out.write(self.respond(line) + "\n\n")
                    self.out.flush()
                next_line = asyncio.ensure_future(lines.get())
                self._waiting = True
                ready.set()
        finally:
            next_line.cancel()
            wake.cancel()
            self._wake = None
