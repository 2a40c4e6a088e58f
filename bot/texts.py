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
    "I gruppechatter svarer jeg bare når du bruker /sok, nevner meg eller svarer på en melding fra meg."
)
HELP_INLINE = "\nI alle chatter kan du skrive <code>@{username} sykkel</code> for å finne et tiltak og dele det."

HELP_ADMIN_HEADER = "<b>For partnerskapets administratorer</b>"

ABOUT = (
    "<b>{title}</b>\n\n"
    "Avtalen er inngått mellom {parties} for perioden {period}.\n\n"
    "Partnerskapsavtalen består av to deler, en generell og en spesiell del. Jeg kjenner den spesielle delen, "
    "som har tre innsatsområder:\n{areas}\n\n"
    "Spør om et tema, eller bla med /innhold."
)

# Questions about the agreement itself: the metadata first, then the agreement's own opening words.
ABOUT_PERIOD = (
    "Avtalen gjelder for perioden <b>{period}</b> – det står i tittelen, «{title}». Den delen av avtalen jeg "
    "kjenner, sier ikke mer om når den begynner eller slutter."
)
ABOUT_PARTIES = "Partene i avtalen er <b>{parties}</b>. Slik omtaler avtalen dem:"
ABOUT_SIGNATORIES = "Avtaleteksten jeg kjenner, sier ikke hvem som signerte den. Partene i avtalen er <b>{parties}</b>."
ABOUT_PURPOSE = "Dette sier avtalen om formålet og ambisjonen med samarbeidet:"
ABOUT_PARTS = (
    "Partnerskapsavtalen består av en generell og en spesiell del. Jeg kjenner den spesielle delen, "
    "«{title}», med disse innsatsområdene:\n{areas}"
)

CONTENTS_HEADER = "<b>Innhold i avtalen</b>\nVelg et innsatsområde:"
CONTENTS_AREA_LINE = "{id}. {title} {hashtag} ({count} tiltak)"

ANSWER_HEADER = "Dette sier avtalen om <i>{query}</i>:"
ANSWER_HEADER_QUESTION = "Du spør: <i>{question}</i>\nDette sier avtalen:"
ANSWER_HEADER_PLAIN = "Dette sier avtalen:"
ANSWER_MORE_HEADER = "Flere treff i avtalen om <i>{query}</i>:"
ONLY_FILLER = (
    "Skriv hva du vil vite om partnerskapsavtalen, for eksempel <i>sykkel</i>, <i>lærlinger</i> eller "
    "<i>når er yrkesmessa?</i> Du kan også bla i avtalen."
)
GREETING = "Hei! " + ONLY_FILLER
THANKS = "Bare hyggelig! Spør gjerne igjen når du lurer på noe i avtalen."
GOODBYE = "Ha det bra! Spør gjerne igjen når du lurer på noe i avtalen."
WRONG_ANSWER = (
    "Beklager at svaret ikke traff. Prøv å spørre med andre ord eller med et tiltaksnummer, eller bla i avtalen."
)
WHO_AM_I = (
    "Jeg er {bot_name}, en chatbot for partnerskapet mellom Indre Østfold regionråd (IØR) og Viken "
    "fylkeskommune. Jeg svarer med partnerskapsavtalens egne ord og tiltaksnummer, og holder orden på "
    "milepælene og påminnelsene. Skriv /hjelp for å se alt jeg kan."
)
ANSWER_MORE_FOR_IDS = "Flere treff:"
NO_ANSWER = "Jeg finner ikke noe om <i>{query}</i> i partnerskapsavtalen."
NO_ANSWER_QUESTION = "Du spør: <i>{question}</i>\nJeg finner ikke noe om dette i partnerskapsavtalen."
NO_ANSWER_SUGGESTIONS = "Mente du: {suggestions}?"
NO_ANSWER_BROWSE = "Du kan også bla i avtalen med /innhold."
# After "finner ikke noe" for a question for a figure, a price, a time or a procedure (knowledge/uncovered.yaml).
NO_ANSWER_FACTS = "Avtalen sier hva partene skal samarbeide om. Den har ingen tall, priser, tider eller søknadsrutiner."
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
UNKNOWN_AREA = "Avtalen har ikke noe innsatsområde {id}. Innsatsområdene er nummerert 1–{last}; se /innhold."
MEASURE_USAGE = "Skriv nummeret på tiltaket, for eksempel <code>/tiltak 3.2</code>."
MEASURE_NOT_A_NUMBER = (
    "«{text}» er ikke et tiltaksnummer. Skriv nummeret på tiltaket, for eksempel <code>/tiltak 3.2</code>, "
    "eller flere: <code>/tiltak 3.2 3.3</code>. Søk etter ord med <code>/sok</code>."
)
SEARCH_USAGE = "Skriv hva du vil søke etter, for eksempel <code>/sok sykkel</code>."
UNKNOWN_COMMAND = "Den kommandoen kjenner jeg ikke. Skriv /hjelp for å se hva jeg kan."
NOT_TEXT = "Jeg forstår bare tekst. Skriv et spørsmål om avtalen, for eksempel <i>buss</i>."
EXPIRED_BUTTON = "Denne knappen virker ikke lenger. Søk på nytt."
ERROR = "Beklager, noe gikk galt. Prøv igjen om litt."

BUTTON_MORE = "Flere treff ▸"
BUTTON_AREA = "Innsatsområde {id}"
BUTTON_READ_ALL = "Les hele {id}"
BUTTON_CONTENTS = "Innhold"
BUTTON_SUGGESTION = "Søk på «{word}»"
BUTTON_WHAT_IT_SAYS = "Hva sier avtalen om temaet?"
BUTTON_TYPED = (
    "«{label}» er en knapp under et svar: trykk på den der. Eller skriv et nytt spørsmål, for eksempel <i>sykkel</i>."
)

INLINE_AREA_DESCRIPTION = "{hashtag} · {count} tiltak"

# Terminal chat
CHAT_INTRO = (
    "Terminalchat med {bot_name}: som en privat chat i Telegram, med samme svar, og du er administrator for "
    "partnerskapet. Skriv et spørsmål eller en kommando som /hjelp.\n"
    "Knapper vises som [1], [2] …: skriv tallet for å trykke. Påminnelser du abonnerer på (/abonner) "
    "skrives ut her når de kommer. Avslutt med Ctrl-D eller /slutt."
)
CHAT_BYE = "Ha det!"
CHAT_NO_SUCH_BUTTON = "Det er ingen knapp med det nummeret."
ASK_CHAT_ONLY = (
    "Den kommandoen virker i en chat: i Telegram, eller i terminalchatten (<code>python -m bot chat</code>)."
)

# Milestones and reminders
MILESTONES_HEADER = "<b>Milepæler</b>"
MILESTONES_NONE = "Ingen milepæler er registrert."
MILESTONE_LINE = "<b>{title}</b> (tiltak {measure}) · {when}"
MILESTONE_PLACE = "Sted: {place}"
MILESTONE_NOT_SET = "dato ikke fastsatt"
MILESTONE_WHEN = "{date}, om {days}"
MILESTONE_TODAY = "{date}, i dag"
MILESTONE_ID_HINT = "Navn i kommandoer: <code>{id}</code>"
MILESTONES_FOOTER = "Få påminnelser i denne chatten med /abonner."
MILESTONES_FOOTER_SUBSCRIBED = "Denne chatten får påminnelser: se dem med /varsler, slå dem av med /avslutt."
WHEN_HEADER = "<b>Når?</b>"
NO_DATE = "<b>Når?</b> Verken avtalen eller milepælene har en dato for dette."
NO_DATE_IN_AGREEMENT = "Avtalen selv gir ingen dato; den sier hva partene skal gjøre (tiltak {ids})."
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
SUBSCRIBE_USAGE = (
    "Skriv for eksempel <code>/abonner</code>, <code>/abonner yrkesmesse</code> eller "
    "<code>/abonner yrkesmesse 14d 1d</code>."
)

# Milestones in the calendar (.ics): the file's texts are plain text, the captions HTML
BUTTON_CALENDAR = "📅 Legg i kalender: {title}"
CALENDAR_DESCRIPTION = "Tiltak {measure} i {agreement}:\n{text}"
CALENDAR_ALARM = "Påminnelse: {title}"
CALENDAR_NAME = "Partnerskapets milepæler"
CALENDAR_CAPTION_ONE = "📅 <b>{title}</b>, {when}. Åpne filen for å legge den i kalenderen."
CALENDAR_CAPTION_ALL = (
    "📅 {count} milepæler med dato. Åpne filen for å legge dem i kalenderen.",
    "📅 Én milepæl med dato. Åpne filen for å legge den i kalenderen.",
)
CALENDAR_NOT_SET = "<b>{title}</b> har ingen dato ennå, så det er ingenting å legge i kalenderen."
CALENDAR_NONE_SET = "Ingen milepæler har dato ennå, så det er ingenting å legge i kalenderen."
CALENDAR_UNDATED = "Uten dato (ikke med i filen): {titles}."
CALENDAR_ALARMS = "Varsler i filen: {leads} (som påminnelsene i denne chatten)."
CALENDAR_NO_ALARMS = "Filen har ingen varsler, fordi denne chatten ikke abonnerer på påminnelser (/abonner)."
CALENDAR_WRITTEN = "Kalenderfilen er skrevet til <code>{path}</code>."
CALENDAR_KEPT = "<code>{name}</code> fantes fra før, så den er ikke endret; den nye filen har et nummer."
CALENDAR_NOT_WRITTEN = "Fikk ikke skrevet kalenderfilen i <code>{folder}</code> ({reason}). Ingen fil er laget."
CALENDAR_TELEGRAM_ONLY = (
    "Kalenderfilen sendes i Telegram, og terminalchatten (<code>python -m bot chat</code>) skriver den til en fil. "
    "På kommandolinjen: <code>python -m bot ics &gt; milepaeler.ics</code>."
)

REMINDER = (
    "⏰ <b>Påminnelse: {title}</b>\n{when} ({left}).\n{place}Tiltak {measure} i partnerskapsavtalen: <i>{text}</i>"
)
REMINDER_LEFT_DAYS = "om {days}"
REMINDER_LEFT_HOURS = "om {hours} t {minutes} min"
REMINDER_LEFT_MINUTES = "om {minutes} min"

# Staff tools: statistics, taught words, the change log
PRIVATE_ONLY = "Dette vises bare i privat chat. Skriv til meg direkte."
STAFF_ONLY = "Beklager, dette kan bare partnerskapets administratorer bruke."
STAFF_TELEGRAM_ONLY = "Statistikk, ordlisten og endringsloggen brukes i Telegram-chatten."

STATS_USAGE = (
    "Skriv <code>/statistikk</code> (siste 30 dager), <code>/statistikk 7</code> (siste 7 dager), "
    "<code>/statistikk 2026</code> (et år), <code>/statistikk ukentlig</code> (oppsummering hver mandag) "
    "eller <code>/statistikk stopp</code>."
)
STATS_BAD_PERIOD = "Jeg forstår ikke «{text}» som en periode."
STATS_BAD_DAYS = "Antall dager må være mellom 1 og {most}, eller et årstall som <code>2026</code>."
STATS_FUTURE_YEAR = "{year} har ikke begynt ennå."
STATS_OLD_YEAR = "Spørsmålsloggen går ikke så langt tilbake som {year}."
STATS_HEADER_DAYS = "<b>Statistikk: siste {days} dager</b>"
STATS_HEADER_DAY = "<b>Statistikk: i dag</b>"
STATS_HEADER_YEAR = "<b>Statistikk: {year}</b>"
STATS_HEADER_WEEK = "<b>Ukesoppsummering: uke {week}</b>"
STATS_RANGE = "{start} – {end}"
STATS_TOTALS = "Spørsmål stilt: {total}\nBesvart: {answered} ({share} %)"
STATS_NONE = "Ingen spørsmål i perioden."
STATS_TOP_HEADER = "<b>Mest spurt om</b>"
STATS_TOP_LINE = "• {label}: {count}"
STATS_UNANSWERED_HEADER = "<b>Ubesvarte spørsmål</b> ({groups} {different}, {total} i alt) · side {page} av {pages}"
DIFFERENT = ("ulike", "ulikt")  # "2 ulike", "1 ulikt" (spørsmål): plural, then singular
STATS_UNANSWERED_LINE = "• {count} × «{text}»"
STATS_UNANSWERED_NONE = "Ingen ubesvarte spørsmål i perioden."
STATS_TEACH_HINT = "Lær boten et ord som mangler med <code>/laer ord = ord i avtalen</code>."
STATS_WEEKLY_ON = "Du får nå en oppsummering hver mandag kl. 09.00. Slå den av med <code>/statistikk stopp</code>."
STATS_WEEKLY_ALREADY = "Du får allerede en oppsummering hver mandag kl. 09.00."
STATS_WEEKLY_OFF = "Den ukentlige oppsummeringen er slått av."
STATS_WEEKLY_NOT_ON = "Du får ingen ukentlig oppsummering. Slå den på med <code>/statistikk ukentlig</code>."
STATS_WEEKLY_TELEGRAM_ONLY = (
    "Den ukentlige oppsummeringen kommer som en melding i Telegram hver mandag: slå den av og på med "
    "<code>/statistikk ukentlig</code> og <code>/statistikk stopp</code> i en privat chat med meg der."
)
STATS_WEEKLY_FOOTER = "Slå av denne oppsummeringen med <code>/statistikk stopp</code>."
BUTTON_PREVIOUS = "◂ Forrige"
BUTTON_NEXT = "Neste ▸"

TEACH_USAGE = (
    "Skriv for eksempel <code>/laer skysstasjon = kollektivterminal</code>: til venstre ordet folk skriver, "
    "til høyre ord som står i avtalen."
)
TEACH_EMPTY = "Begge sider av = må ha et ord."
TEACH_TOO_LONG = "«{text}…» er for langt: høyst {most} tegn på hver side."
TEACH_MARKUP_ONLY = "«{text}» har ingen ord, bare tegn."
TEACH_BAD_CHARACTERS = "«{text}» kan bare ha bokstaver, tall, mellomrom og bindestrek."
TEACH_TOO_MANY_WORDS = "Til venstre kan det stå høyst {most} ord."
TEACH_ONLY_FILLER = "«{text}» er fyllord som søket hopper over."
TEACH_IN_AGREEMENT = "«{word}» står allerede i avtalen, og søket finner det: {finds}."
TEACH_ALREADY_TAUGHT = (
    "«{word}» er allerede lært og betyr «{means}» (lært av {user} {when}). Vil du endre det, skriv først "
    "<code>/glem {word}</code>."
)
TEACH_SHIPPED = "«{word}» står allerede i ordlisten som følger med boten, og betyr «{means}»."
TEACH_NOT_IN_AGREEMENT = "Høyre side må være ord fra avtalen, men {words} står ikke i den."
TEACH_FINDS_NOTHING = "Med «{means}» finner søket fortsatt ingenting for «{word}»."
TAUGHT = "Lært: «{word}» betyr nå «{means}», i alle chatter.\n«{word}» finner nå {finds}."
TAUGHT_ANSWERS = "Det svarer nå på {count} tidligere ubesvarte spørsmål ({groups} {different})."
TAUGHT_ANSWERS_NONE = "Ingen tidligere ubesvarte spørsmål blir besvart av dette ennå."
FINDS_MEASURE = "tiltak {id}"
FINDS_AREA = "innsatsområde {id}"
FINDS_AND = " og "
FORGET_USAGE = "Skriv for eksempel <code>/glem skysstasjon</code>. Se lærte ord med /ordliste."
FORGET_NOT_TAUGHT = "«{word}» er ikke et lært ord. Se /ordliste."
FORGET_SHIPPED = "«{word}» står i ordlisten som følger med boten (knowledge/synonyms.yaml) og kan bare endres der."
FORGOTTEN = "Glemt: «{word}» betyr ikke lenger «{means}»."
WORDS_HEADER = "<b>Lærte ord</b> ({count})"
WORDS_LINE = "• «{word}» → {means} · lært av {user} {when}"
WORDS_NONE = "Ingen ord er lært ennå. Lær boten et ord med <code>/laer skysstasjon = kollektivterminal</code>."

CHANGES_HEADER = "<b>Siste endringer</b>"
CHANGES_LINE = "• {when} · /{action} {subject} · bruker {user} i chat {chat}\n  {old} → {new}"
CHANGES_NOTHING = "–"
CHANGES_NONE = "Ingen endringer er gjort ennå."

RENAME_USAGE = "Skriv for eksempel <code>/endrenavn yrkesmesse Yrkesmessa i Indre Østfold</code>."
RENAMED = "<b>{old}</b> heter nå <b>{new}</b>."
RENAME_SAME = "Milepælen heter allerede <b>{title}</b>."

# The database is locked by another process or unreachable (after `storage.USER_PATIENCE` of retries).
DATABASE_NOT_SAVED = (
    "Beklager, databasen svarer ikke akkurat nå, så dette ble <b>ikke</b> lagret. Prøv igjen om et par minutter."
)
DATABASE_NOT_READ = "Beklager, databasen svarer ikke akkurat nå. Prøv igjen om et par minutter."
