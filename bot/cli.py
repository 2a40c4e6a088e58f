"""The command line: `ask`, `chat`, `run`, `stats`, `ics`, `lexicon export`. Operators read English here;
chat users read Norwegian.

With no command, the bot runs on Telegram if TELEGRAM_BOT_TOKEN is set and opens the terminal chat if not,
so a newcomer has something real to try at once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime

from bot import texts
from bot.assistant import Assistant, load_assistant
from bot.conversation import ask_reply
from bot.errors import OperatorError
from bot.milestones.desk import CalendarFile
from bot.settings import load_settings
from bot.staff.desk import StaffDesk
from bot.storage import Database, StorageError, database_errors, open_database
from bot.terminal import USERNAME, TerminalChat, line_editing, styled, terminal

USAGE_ERROR = 2  # bad usage, and every `OperatorError` (bad settings, broken data files, no database)
MEMORY_DATABASE_URL = "sqlite:///:memory:"
ASK_FALLBACK = "answering from the repository's knowledge alone"
CHAT_FALLBACK = "using an in-memory database, so nothing is kept"


class _Parser(argparse.ArgumentParser):
    """argparse that exits with 2 and a short usage line, never a traceback."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def positive(text: str) -> int:
    """A whole number from 1, for argparse: anything else is a usage error (exit 2), not an empty report."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid int value: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m bot", description="The partnership agreement bot.")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    ask = sub.add_parser("ask", help="answer a question as the bot would (or one a line from stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object a line: {query, results}")
    ask.add_argument("question", nargs="*", help="the question; without it, read one a line from stdin")
    sub.add_parser("chat", help="talk to the bot in the terminal, without Telegram")
    sub.add_parser("run", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    stats = sub.add_parser("stats", help="most asked subjects and unanswered questions")
    stats.add_argument("--limit", type=positive, default=15, help="rows per list (default 15)")
    ics = sub.add_parser("ics", help="every dated milestone as an iCalendar file on stdout")
    ics.add_argument(
        "--chat",
        type=int,
        metavar="CHAT_ID",
        help="alarms as this chat's subscriptions (default: 14 and 1 days before)",
    )
    lexicon = sub.add_parser("lexicon", help="the words taught in the chat (/laer)")
    lexicon_sub = lexicon.add_subparsers(dest="lexicon_command", parser_class=_Parser, required=True)
    lexicon_sub.add_parser("export", help="print them as YAML in knowledge/synonyms.yaml's format")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    command = args.command or ("run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat")
    try:
        if command == "run":
            from bot.telegram_adapter.app import run

            return run()
        if command == "stats":
            from bot.stats import print_stats

            return print_stats(args.limit)
        if command == "ics":
            return write_ics(args.chat)
        if command == "lexicon":
            return export_lexicon()
        fallback = ASK_FALLBACK if command == "ask" else CHAT_FALLBACK
        database = local_database(fallback)
        assistant = stored_assistant(database, fallback, taught=command == "ask")  # chat: its staff desk
        if assistant.desk.database is not database:  # it could not be read
            database.close()
            database = assistant.desk.database
    except OperatorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return USAGE_ERROR
    except KeyboardInterrupt:
        return 130
    try:
        if command == "ask":
            return ask(assistant, args.question, as_json=args.json)
        return chat(assistant, database)
    except BrokenPipeError:  # `ask … | head -1`: the reader has all it wants
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the exit's flush of stdout does not fail again
        return 0
    finally:
        database.close()
        assistant.desk.database.close()  # another if the database went away during `ask`


def local_database(fallback: str = CHAT_FALLBACK) -> Database:
    """The database for `ask` and `chat`: DATABASE_URL (default sqlite:///data/bot.sqlite3), so they see the
    milestone dates and taught words the bot keeps; an in-memory SQLite database, with a note, where that
    cannot be opened."""
    url = load_settings().database_url
    try:
        return open_database(url)
    except StorageError as exc:
        note(exc, fallback)
        return open_database(MEMORY_DATABASE_URL)


def note(error: object, fallback: str) -> None:
    """One line on stderr (a server's message can span lines): what failed, and what is done instead."""
    print(f"note: {' '.join(str(error).split())}; {fallback}", file=sys.stderr)


def stored_assistant(database: Database, fallback: str, *, taught: bool) -> Assistant:
    """The assistant over what the database keeps, read now, so a database that opens but cannot be read is
    found before the first answer; then the repository's knowledge alone, with a note. `taught`: search with
    the words taught with /laer, as `bot run` does (its staff desk puts them into the index)."""
    assistant = load_assistant(database)
    try:
        assistant.desk.current()  # the milestone edits
        if taught:
            StaffDesk(assistant, database)
        else:
            database.taught_words()
    except database_errors() as error:
        without_database(assistant, error, fallback)
    return assistant


def without_database(assistant: Assistant, error: Exception, fallback: str) -> None:
    """The database cannot be read: say so once and go on with an empty in-memory one (the shipped milestones,
    the shipped lexicon)."""
    note(f"cannot read the database: {error}", fallback)
    assistant.desk.database = open_database(MEMORY_DATABASE_URL)


def _configured_database() -> Database:
    """The database DATABASE_URL names; a bad setting or an unreachable database is an `OperatorError`."""
    return open_database(load_settings().database_url)


def write_ics(chat_id: int | None) -> int:
    """`python -m bot ics > milepaeler.ics`: the file `/kalender` sends, from the database's milestones."""
    from bot.milestones.dates import OSLO

    database = _configured_database()
    try:
        result = load_assistant(database).desk.calendar(datetime.now(OSLO), chat_id)
    finally:
        database.close()
    if not isinstance(result, CalendarFile):
        print("error: no milestone has a date yet; set one in the chat with /settdato", file=sys.stderr)
        return 1
    sys.stdout.buffer.write(result.content)
    sys.stdout.flush()
    return 0


def export_lexicon() -> int:
    """`python -m bot lexicon export`: taught words as synonyms.yaml groups, for a developer to ship them."""
    from bot.staff.words import export_yaml

    database = _configured_database()
    try:
        print(export_yaml(database.taught_words()), end="")
    finally:
        database.close()
    return 0


def _lines(question: list[str]) -> Iterable[str]:
    if question:
        yield " ".join(question)
        return
    for line in sys.stdin:
        yield line.rstrip("\n")


def ask(assistant: Assistant, question: list[str], *, as_json: bool) -> int:
    """Answer questions as a private chat does; `--json` speaks the protocol of shared/eval/score.py (the
    parts of the agreement the answer shows, in order)."""
    if not question and sys.stdin.isatty() and not as_json:
        print('usage: python -m bot ask [--json] "QUESTION"  (or questions on stdin)', file=sys.stderr)
        return USAGE_ERROR
    for line in _lines(question):
        try:
            output = _asked(assistant, line, as_json)
        except database_errors() as error:  # it went away since the start: this answer and the rest without it
            if assistant.desk.database.url == MEMORY_DATABASE_URL:
                raise
            without_database(assistant, error, ASK_FALLBACK)
            output = _asked(assistant, line, as_json)
        print(output, flush=True)
        if not as_json:
            print()
    return 0


def _asked(assistant: Assistant, line: str, as_json: bool) -> str:
    if as_json:
        hits = assistant.answer(line).hits
        return json.dumps(
            {"query": line, "results": [{"id": h.id, "score": h.score} for h in hits]}, ensure_ascii=False
        )
    return terminal(ask_reply(assistant, line, USERNAME), styled(sys.stdout))


def chat(assistant: Assistant, database: Database) -> int:
    """A conversation in the terminal: a private chat whose user is a partnership admin (see bot.terminal)."""
    print(texts.CHAT_INTRO.format(bot_name=texts.BOT_NAME))
    line_editing()
    try:
        asyncio.run(TerminalChat(assistant, database).run())
    except KeyboardInterrupt:
        print()
    print(texts.CHAT_BYE)
    return 0
