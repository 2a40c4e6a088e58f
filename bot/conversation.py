"""Routing a chat message to the assistant: commands by name, a bare measure number, or a question.

Shared by the Telegram handlers and the terminal chat, so both route the same way.
"""

from __future__ import annotations

import re

from bot import commands, texts
from bot.assistant import Answer, Assistant
from bot.render import Reply

_COMMAND = re.compile(r"^/(?P<name>[A-Za-z0-9_]{1,32})(?:@(?P<bot>[A-Za-z0-9_]+))?(?:\s+(?P<args>.*))?$", re.DOTALL)


def parse_command(text: str) -> tuple[str, str] | None:
    """ "/sok@botnavn sykkel" → ("sok", "sykkel"); None for a message that is not a command."""
    match = _COMMAND.match(text.strip())
    if not match:
        return None
    return match.group("name").lower(), (match.group("args") or "").strip()


def command_reply(assistant: Assistant, name: str, args: str, username: str) -> tuple[Reply, Answer | None]:
    """The reply to a command; the `Answer` too when the command was a search (for the question log)."""
    name = name.lower()
    args = args.strip()
    if name == commands.START.name:
        return assistant.welcome(args), None
    if name == commands.HELP.name or name == "help":
        return assistant.help(username), None
    if name == commands.SEARCH.name or name == "søk":
        if not args:
            return Reply(texts.SEARCH_USAGE), None
        answer = assistant.answer(args)
        return answer.reply, answer
    if name == commands.MEASURE.name:
        return (assistant.measure(args) if args else Reply(texts.MEASURE_USAGE)), None
    if name == commands.CONTENTS.name:
        return assistant.contents(), None
    if name == commands.ABOUT.name:
        return assistant.about(), None
    if name == commands.MILESTONES.name and assistant.desk is not None:
        return assistant.milestones(), None
    if name == commands.CALENDAR.name:
        return Reply(texts.CALENDAR_TELEGRAM_ONLY), None
    if name in {c.name for c in commands.MILESTONE_COMMANDS}:
        return Reply(texts.TELEGRAM_ONLY), None
    if name in {c.name for c in commands.STAFF_COMMANDS}:
        return Reply(texts.STAFF_TELEGRAM_ONLY), None
    return Reply(texts.UNKNOWN_COMMAND), None


def text_reply(assistant: Assistant, text: str) -> tuple[Reply, Answer | None]:
    """A plain message: a measure number opens the measure, anything else is a question."""
    measure_id = assistant.bare_measure_id(text)
    if measure_id:
        return assistant.measure(measure_id), None
    answer = assistant.answer(text)
    return answer.reply, answer


def respond_to_text(assistant: Assistant, text: str, username: str) -> Reply:
    """Everything typed in a private chat, commands included (the terminal chat's whole router)."""
    command = parse_command(text)
    if command:
        return command_reply(assistant, *command, username)[0]
    return text_reply(assistant, text)[0]
