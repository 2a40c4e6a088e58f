"""The bot's commands: name, description shown in Telegram's menu, and where they are offered.

This table is the one place to add or rename a command; the Telegram adapter registers it with
`setMyCommands` and the terminal chat routes by it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Scope(Enum):
    PRIVATE = "private"
    GROUP = "group"


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    usage: str
    scopes: frozenset[Scope]


BOTH = frozenset({Scope.PRIVATE, Scope.GROUP})
PRIVATE = frozenset({Scope.PRIVATE})

START = Command("start", "Kom i gang", "/start", PRIVATE)
HELP = Command("hjelp", "Hva boten kan", "/hjelp", BOTH)
SEARCH = Command("sok", "Søk i avtalen", "/sok <spørsmål>", BOTH)
MEASURE = Command("tiltak", "Vis et tiltak etter nummer", "/tiltak <nummer>", BOTH)
CONTENTS = Command("innhold", "Bla i innsatsområder og tiltak", "/innhold", BOTH)
ABOUT = Command("om", "Om partnerskapsavtalen", "/om", BOTH)

COMMANDS: tuple[Command, ...] = (START, HELP, SEARCH, MEASURE, CONTENTS, ABOUT)


def for_scope(scope: Scope) -> list[Command]:
    return [command for command in COMMANDS if scope in command.scopes]
