"""Routing a chat message to the assistant: commands by name, thanks and a call for help, a bare measure
number, or a question.

Shared by the Telegram handlers and the terminal chat, so both route the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot import commands, texts
from bot.assistant import Answer, Assistant
from bot.intents import is_help
from bot.render import Reply, printable
from bot.staff.desk import WEEKLY_OFF, WEEKLY_ON, StaffDesk
from bot.storage import Actor

# Letters of any alphabet, so "/søk" and "/milepæler" are commands too (Telegram's menu only lists ASCII names).
_COMMAND = re.compile(r"^/(?P<name>\w{1,32})(?:@(?P<bot>\w+))?(?:\s+(?P<args>.*))?$", re.DOTALL)

TERMINAL_CHAT_ID = 0  # the terminal chat's id for subscriptions: never a Telegram chat's
TERMINAL_USER_ID = 0  # the terminal admin's id in the change log and on taught words: never a Telegram user's
# What `python -m bot ask` runs besides questions: one line in, one reply out, nothing kept between lines, so
# the commands that read the agreement and the dates, not subscriptions, files or the staff tools.
ASK_COMMANDS = (
    commands.START, commands.HELP, commands.SEARCH, commands.MEASURE, commands.CONTENTS, commands.ABOUT,
    commands.MILESTONES,
)  # fmt: skip


def parse_command(text: str, bot_username: str | None = None) -> tuple[str, str] | None:
    """ "/sok@botnavn sykkel" → ("sok", "sykkel"), the arguments without control characters; None for a
    message that is not a command, or (given our username) one addressed to another bot."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    target = match.group("bot")
    if bot_username and target and target.lower() != bot_username.lower():
        return None
    return match.group("name").lower(), printable(match.group("args") or "", keep_lines=True).strip()


def command_reply(
    assistant: Assistant, name: str, args: str, username: str, chat_id: int | None = None
) -> tuple[Reply, Answer | None]:
    """The reply to a command anyone may use, in the chat `chat_id` (None: no chat, as `ask`); the `Answer` too
    when the command was a search (for the question log). Milestone commands are the caller's: who may run them
    depends on the chat."""
    command = commands.resolve(name)
    args = args.strip()
    if command is commands.START:
        return assistant.welcome(args), None
    if command is commands.HELP:
        return assistant.help(username), None
    if command is commands.SEARCH:
        if not args:
            return Reply(texts.SEARCH_USAGE), None
        answer = assistant.answer(args)
        return answer.reply, answer
    if command is commands.MEASURE:
        return (assistant.measures(args) if args else Reply(texts.MEASURE_USAGE)), None
    if command is commands.CONTENTS:
        return assistant.contents(), None
    if command is commands.ABOUT:
        return assistant.about(), None
    if command is commands.MILESTONES:
        return assistant.milestones(chat_id), None
    if command is commands.CALENDAR:
        return Reply(texts.CALENDAR_TELEGRAM_ONLY), None
    if command in commands.STAFF_COMMANDS:
        return Reply(texts.STAFF_TELEGRAM_ONLY), None
    return Reply(texts.UNKNOWN_COMMAND), None


def text_reply(assistant: Assistant, text: str, username: str) -> tuple[Reply, Answer | None]:
    """A plain message: "hjelp" gets the help, a measure number opens the measure, anything else goes to the
    assistant (small talk gets its reply there; the `Answer` for the question log)."""
    if is_help(text):
        return assistant.help(username), None
    measure_id = assistant.bare_measure_id(text)
    if measure_id:
        return assistant.measure(measure_id), None
    answer = assistant.answer(text)
    return answer.reply, answer


def ask_reply(assistant: Assistant, text: str, username: str) -> Reply:
    """One line given to `python -m bot ask`: a question, or one of `ASK_COMMANDS`; /hjelp lists only those,
    without inline mode, which only Telegram has. Other commands say where they work."""
    parsed = parse_command(text)
    command = commands.resolve(parsed[0]) if parsed else None
    if command is commands.HELP or (not parsed and is_help(text)):
        without = tuple(c for c in commands.COMMANDS if c not in ASK_COMMANDS)
        return assistant.help(username, without=without, inline=False)
    if parsed is None:
        return text_reply(assistant, text, username)[0]
    if command in ASK_COMMANDS:
        return command_reply(assistant, parsed[0], parsed[1], username)[0]
    if command is commands.CALENDAR:
        return Reply(texts.CALENDAR_TELEGRAM_ONLY)
    return Reply(texts.ASK_CHAT_ONLY if command is not None else texts.UNKNOWN_COMMAND)


def respond_to_text(
    assistant: Assistant,
    text: str,
    username: str,
    chat_id: int = TERMINAL_CHAT_ID,
    staff: StaffDesk | None = None,
    log: Callable[[str, Answer], None] | None = None,
) -> Reply:
    """Everything typed in a private chat whose user is a partnership admin: the terminal chat's whole router,
    milestone commands included (subscriptions are kept under `chat_id`), and the staff commands when given
    their desk. `log` gets each question answered or not, as the Telegram bot's question log does."""
    parsed = parse_command(text)
    command = commands.resolve(parsed[0]) if parsed else None
    if command is commands.HELP or (not parsed and is_help(text)):
        # Its user is an admin: the admin commands it can run; no inline mode outside Telegram.
        without = () if staff is not None else commands.STAFF_COMMANDS
        return assistant.help(username, admin=True, without=without, inline=False)
    if parsed:
        name, args = parsed
        if command is not None and command in commands.MILESTONE_COMMANDS:
            # logged in the change log as Telegram's are, under the terminal admin
            return assistant.desk.run(command.name, chat_id, args, assistant.clock(), Actor(TERMINAL_USER_ID, chat_id))
        if staff is not None and command is not None and command in commands.STAFF_COMMANDS:
            if command is commands.STATISTICS and args.strip().lower() in (*WEEKLY_ON, *WEEKLY_OFF):
                return Reply(texts.STATS_WEEKLY_TELEGRAM_ONLY)  # the summary is a Telegram message on Mondays
            return staff.run(command.name, args, Actor(TERMINAL_USER_ID, chat_id), assistant.clock())
        reply, answer = command_reply(assistant, name, args, username, chat_id)
        asked = args
    else:
        reply, answer = text_reply(assistant, text, username)
        asked = text
    if log is not None and answer is not None and answer.question and asked.strip():
        log(" ".join(printable(asked).split()), answer)
    return reply
