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


class Permission(Enum):
    ANYONE = "anyone"
    CHAT_ADMIN = "chat_admin"  # in a group: its admins (or partnership admins); in a private chat: the user
    PARTNERSHIP_ADMIN = "partnership_admin"  # ADMIN_USER_IDS, and the admins of PARTNERSHIP_CHAT_ID, anywhere


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    usage: str
    scopes: frozenset[Scope]
    permission: Permission = Permission.ANYONE
    aliases: tuple[str, ...] = ()  # also understood, never shown: English, and spellings with æøå

    @property
    def admin_only(self) -> bool:
        """Only the partnership's admins may run it (any permission beyond a chat's own business), so only
        they see it in /hjelp and in their menus."""
        return self.permission not in (Permission.ANYONE, Permission.CHAT_ADMIN)


BOTH = frozenset({Scope.PRIVATE, Scope.GROUP})
PRIVATE = frozenset({Scope.PRIVATE})

START = Command("start", "Kom i gang", "/start", PRIVATE)
HELP = Command("hjelp", "Hva boten kan", "/hjelp", BOTH, aliases=("help",))
SEARCH = Command("sok", "Søk i avtalen", "/sok <spørsmål>", BOTH, aliases=("søk",))
MEASURE = Command("tiltak", "Vis et tiltak etter nummer", "/tiltak <nummer>", BOTH)
CONTENTS = Command("innhold", "Bla i innsatsområder og tiltak", "/innhold", BOTH)
ABOUT = Command("om", "Om partnerskapsavtalen", "/om", BOTH)

MILESTONES = Command(
    "milepaeler", "Milepæler og datoer", "/milepaeler", BOTH,
    aliases=("milepæler", "milepæl", "milepael", "milepeler", "milepel", "milepaler", "datoer"),
)  # fmt: skip
SUBSCRIBE = Command(
    "abonner", "Få påminnelser om milepæler", "/abonner [milepæl] [14d 1d 2t 30m]", BOTH, Permission.CHAT_ADMIN
)
UNSUBSCRIBE = Command("avslutt", "Slå av påminnelser", "/avslutt [milepæl]", BOTH, Permission.CHAT_ADMIN)
REMINDERS = Command("varsler", "Påminnelsene i denne chatten", "/varsler", BOTH)
CALENDAR = Command("kalender", "Milepælene som kalenderfil (.ics)", "/kalender", BOTH)
SET_DATE = Command(
    "settdato",
    "Sett eller flytt en dato (admin)",
    "/settdato <milepæl> <dato> [kl. tid]",
    BOTH,
    Permission.PARTNERSHIP_ADMIN,
)
ADD_MILESTONE = Command(
    "nymilepael",
    "Legg til en milepæl (admin)",
    "/nymilepael <navn> <tiltak> <tittel>",
    BOTH,
    Permission.PARTNERSHIP_ADMIN,
    aliases=("nymilepæl", "nymilepel"),
)
REMOVE_MILESTONE = Command(
    "fjernmilepael", "Fjern en milepæl (admin)", "/fjernmilepael <milepæl>", BOTH, Permission.PARTNERSHIP_ADMIN,
    aliases=("fjernmilepæl", "fjernmilepel"),
)  # fmt: skip
RENAME_MILESTONE = Command(
    "endrenavn",
    "Gi en milepæl ny tittel (admin)",
    "/endrenavn <milepæl> <ny tittel>",
    BOTH,
    Permission.PARTNERSHIP_ADMIN,
)

# Staff tools (partnership admins): what people asked, words taught to the search, the change log.
STATISTICS = Command(
    "statistikk",
    "Hva folk spør om (admin)",
    "/statistikk [dager | år | ukentlig | stopp]",
    PRIVATE,
    Permission.PARTNERSHIP_ADMIN,
)
TEACH = Command("laer", "Lær boten et ord (admin)", "/laer <ord> = <ord i avtalen>", BOTH, Permission.PARTNERSHIP_ADMIN)
FORGET = Command("glem", "Glem et lært ord (admin)", "/glem <ord>", BOTH, Permission.PARTNERSHIP_ADMIN)
WORD_LIST = Command("ordliste", "Lærte ord (admin)", "/ordliste", PRIVATE, Permission.PARTNERSHIP_ADMIN)
CHANGES = Command("endringer", "Siste endringer (admin)", "/endringer", PRIVATE, Permission.PARTNERSHIP_ADMIN)

COMMANDS: tuple[Command, ...] = (
    START, HELP, SEARCH, MEASURE, CONTENTS, ABOUT, MILESTONES, CALENDAR, SUBSCRIBE, UNSUBSCRIBE, REMINDERS,
    SET_DATE, ADD_MILESTONE, REMOVE_MILESTONE, RENAME_MILESTONE, STATISTICS, TEACH, FORGET, WORD_LIST, CHANGES,
)  # fmt: skip
MILESTONE_COMMANDS = (
    SUBSCRIBE, UNSUBSCRIBE, REMINDERS, SET_DATE, ADD_MILESTONE, REMOVE_MILESTONE, RENAME_MILESTONE,
)  # fmt: skip
STAFF_COMMANDS = (STATISTICS, TEACH, FORGET, WORD_LIST, CHANGES)


def allowed(command: Command, *, private: bool, is_chat_admin: bool, is_partnership_admin: bool) -> bool:
    """Who may run a command: subscriptions are the chat's own business (its admins in a group); milestones
    are shared by every chat, so only the partnership's admins change them, never the admins of just any
    group the bot was added to."""
    if command.permission is Permission.ANYONE:
        return True
    if command.permission is Permission.CHAT_ADMIN:
        return private or is_chat_admin or is_partnership_admin
    return is_partnership_admin


def resolve(name: str) -> Command | None:
    """A command by its name or an alias, any case ("/Milepæler" is /milepaeler)."""
    name = name.lower()
    return next((c for c in COMMANDS if name == c.name or name in c.aliases), None)


def for_scope(scope: Scope) -> list[Command]:
    return [command for command in COMMANDS if scope in command.scopes]


def offered(scope: Scope, *, chat_admin: bool, partnership_admin: bool) -> list[Command]:
    """What a person may use where they are, for /hjelp and the command menus: in a private chat everyone
    manages their own subscriptions; in a group only its admins do; the partnership's admins see all."""
    private = scope is Scope.PRIVATE
    return [
        command
        for command in for_scope(scope)
        if allowed(command, private=private, is_chat_admin=chat_admin, is_partnership_admin=partnership_admin)
    ]
