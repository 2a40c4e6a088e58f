"""Every sentence the bot says, in Norwegian bokmål, in one place.

Templates are HTML (Telegram's parse mode); `{…}` fields are filled with already escaped text.
"""

from __future__ import annotations

BOT_NAME = "Partnerskapsboten"

WELCOME = (
    "Hei! Jeg er {bot_name} for partnerskapet mellom Indre Østfold regionråd (IØR) og Viken fylkeskommune.\n\n"
    "Spør meg om hva partnerskapsavtalen sier, for eksempel:\n"
    "• <i>hva sier avtalen om sykkel?</i>\n"
    "• <i>lærlinger</i>\n"
    "• <i>3.2</i> (et tiltak etter nummer)\n\n"
    "Skriv /hjelp for alt jeg kan, eller /innhold for å bla i avtalen."
)

HELP = (
    "<b>Slik bruker du meg</b>\n"
    "Skriv et spørsmål eller et stikkord, så svarer jeg med avtalens egne ord og tiltaksnummer.\n\n"
    "{commands}\n\n"
    "I gruppechatter svarer jeg bare når du bruker /sok, nevner meg eller svarer på en melding fra meg.\n"
    "I alle chatter kan du skrive <code>@{username} sykkel</code> for å finne et tiltak og dele det."
)

ABOUT = (
    "<b>{title}</b>\n\n"
    "Avtalen er inngått mellom {parties} for perioden {period}.\n\n"
    "Partnerskapsavtalen består av to deler, en generell og en spesiell del. Jeg kjenner den spesielle delen, "
    "som har tre innsatsområder:\n{areas}\n\n"
    "Spør om et tema, eller bla med /innhold."
)

CONTENTS_HEADER = "<b>Innhold i avtalen</b>\nVelg et innsatsområde:"
CONTENTS_AREA_LINE = "{id}. {title} {hashtag} ({count} tiltak)"

ANSWER_HEADER = "Dette sier avtalen om <i>{query}</i>:"
ANSWER_HEADER_PLAIN = "Dette sier avtalen:"
ANSWER_MORE_HEADER = "Flere treff i avtalen om <i>{query}</i>:"
ONLY_FILLER = (
    "Hei! Skriv hva du vil vite om partnerskapsavtalen, for eksempel <i>sykkel</i>, <i>lærlinger</i> eller "
    "<i>når er yrkesmessa?</i> Du kan også bla i avtalen."
)
ANSWER_MORE_FOR_IDS = "Flere treff:"
NO_ANSWER = "Jeg finner ikke noe om <i>{query}</i> i partnerskapsavtalen."
NO_ANSWER_SUGGESTIONS = "Mente du: {suggestions}?"
NO_ANSWER_BROWSE = "Du kan også bla i avtalen med /innhold."
NO_MORE_RESULTS = "Det er ingen flere treff. Søk på nytt, eller bla i avtalen med /innhold."
EMPTY_QUESTION = "Skriv hva du lurer på, for eksempel <i>sykkel</i> eller <i>lærlinger</i>."
QUERY_TOO_LONG = "Spørsmålet er langt, så jeg har søkt på begynnelsen av det."

MEASURE_TITLE = "<b>Tiltak {id}</b> · {area_title} {hashtag}"
MEASURE_GROUP = "<i>{group}</i>"
MEASURE_PARENT = "Under tiltak {id}: <i>{text}</i>"
MEASURE_CHILDREN = "Deltiltak: {ids}"
AREA_TITLE = "<b>Innsatsområde {id}: {title}</b> {hashtag}"
AREA_SDG = "Bærekraftsmål {number}: {title}"
SECTION_TITLE = "<b>{title}</b>"
SNIPPET_CUT = "…"

UNKNOWN_MEASURE = "Avtalen har ikke noe tiltak {id}. Tiltakene er nummerert {first}–{last}; se /innhold."
MEASURE_USAGE = "Skriv nummeret på tiltaket, for eksempel <code>/tiltak 3.2</code>."
SEARCH_USAGE = "Skriv hva du vil søke etter, for eksempel <code>/sok sykkel</code>."
UNKNOWN_COMMAND = "Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva jeg kan."
NOT_TEXT = "Jeg forstår bare tekst. Skriv et spørsmål om avtalen, for eksempel <i>buss</i>."
EXPIRED_BUTTON = "Denne knappen virker ikke lenger. Søk på nytt."
ERROR = "Beklager, noe gikk galt. Prøv igjen om litt."

BUTTON_MORE = "Flere treff ▸"
BUTTON_AREA = "Hele område {id}"
BUTTON_READ_ALL = "Les hele {id}"
BUTTON_MEASURE = "{id}"
BUTTON_CONTENTS = "Innhold"

INLINE_AREA_DESCRIPTION = "{hashtag} · {count} tiltak"
INLINE_NOTHING = "Ingenting i avtalen om dette"
INLINE_NOTHING_TEXT = "Partnerskapsavtalen sier ikke noe om «{query}»."

# Terminal chat
CHAT_INTRO = (
    "Terminalchat med {bot_name} (samme svar som i Telegram). Skriv et spørsmål eller en kommando som /hjelp.\n"
    "Knapper vises som [1], [2] …: skriv tallet for å trykke. Avslutt med Ctrl-D eller /slutt."
)
CHAT_BYE = "Ha det!"
CHAT_NO_SUCH_BUTTON = "Det er ingen knapp med det nummeret."

# Milestones and reminders
MILESTONES_HEADER = "<b>Milepæler</b>"
MILESTONES_NONE = "Ingen milepæler er registrert."
MILESTONE_LINE = "<b>{title}</b> (tiltak {measure}) · {when}"
MILESTONE_PLACE = "Sted: {place}"
MILESTONE_NOT_SET = "dato ikke fastsatt"
MILESTONE_WHEN = "{date}, om {days}"
MILESTONE_TODAY = "{date}, i dag"
MILESTONE_YEARLY = "årlig"
MILESTONE_ID_HINT = "Navn i kommandoer: <code>{id}</code>"
MILESTONES_FOOTER = "Få påminnelser i denne chatten med /abonner."
WHEN_HEADER = "<b>Når?</b>"
DAYS = ("{n} dag", "{n} dager")

SUBSCRIBED_ALL = "Denne chatten får nå påminnelser om alle milepæler, {leads}."
SUBSCRIBED_ONE = "Denne chatten får nå påminnelser om <b>{title}</b>, {leads}."
SUBSCRIBED_NO_DATE = "Merk: {titles} har ingen dato ennå; påminnelsene kommer når en dato er satt."
UNSUBSCRIBED = "Påminnelsene er slått av for denne chatten."
UNSUBSCRIBED_ONE = "Påminnelsene om <b>{title}</b> er slått av for denne chatten."
NOT_SUBSCRIBED = "Denne chatten abonnerer ikke på påminnelser. Slå dem på med /abonner."
REMINDERS_HEADER = "<b>Påminnelser i denne chatten</b>"
REMINDERS_LINE = "• {what}: {leads}"
REMINDERS_ALL = "alle milepæler"
REMINDERS_NEXT = "Neste: {title}, {when}."
UNKNOWN_MILESTONE = "Jeg kjenner ingen milepæl som heter «{name}». Se /milepaeler."

ADMIN_ONLY = "Beklager, bare administratorer kan gjøre dette{where}."
ADMIN_ONLY_GROUP = " i gruppen"
PARTNERSHIP_ADMIN_ONLY = (
    "Beklager, bare partnerskapets administratorer kan endre milepælene. De gjelder for alle chatter som bruker "
    "boten, så endringer gjøres av de som er satt opp som administratorer for partnerskapet."
)
DATE_SET = "<b>{title}</b> er satt til {when}."
DATE_USAGE = "Skriv for eksempel <code>/settdato yrkesmesse 14.10.2027 kl. 09.00</code>."
ADD_USAGE = "Skriv for eksempel <code>/nymilepael karrieredag 1.7 Karrieredag for ungdomsskolene</code>."
ADDED = "Milepælen <b>{title}</b> (tiltak {measure}) er lagt til. Sett dato med <code>/settdato {id} …</code>."
ADD_EXISTS = "Det finnes allerede en milepæl som heter «{id}»."
ADD_BAD_ID = "Navnet «{id}» kan bare ha små bokstaver, tall og bindestrek (2–31 tegn)."
ADD_BAD_MEASURE = "Avtalen har ikke noe tiltak {measure}."
REMOVE_USAGE = "Skriv for eksempel <code>/fjernmilepael karrieredag</code>."
REMOVED = "Milepælen <b>{title}</b> er fjernet."
TELEGRAM_ONLY = "Påminnelser og endringer av milepæler gjøres i Telegram-chatten."
SUBSCRIBE_USAGE = (
    "Skriv for eksempel <code>/abonner</code>, <code>/abonner yrkesmesse</code> eller "
    "<code>/abonner yrkesmesse 14d 1d</code>."
)

REMINDER = (
    "⏰ <b>Påminnelse: {title}</b>\n{when} ({left}).\n{place}Tiltak {measure} i partnerskapsavtalen: <i>{text}</i>"
)
REMINDER_LEFT_DAYS = "om {days}"
REMINDER_LEFT_HOURS = "om {hours} t {minutes} min"
REMINDER_LEFT_MINUTES = "om {minutes} min"

# The database is locked by another process or unreachable (after `storage.USER_PATIENCE` of retries).
DATABASE_NOT_SAVED = (
    "Beklager, databasen svarer ikke akkurat nå, så dette ble <b>ikke</b> lagret. Prøv igjen om et par minutter."
)
DATABASE_NOT_READ = "Beklager, databasen svarer ikke akkurat nå. Prøv igjen om et par minutter."
