"""Milestones and subscriptions as the chat sees them: listing, "når er …?", subscribing, admin edits.

Pure Python over the database; the Telegram adapter decides who is an admin and sends what this returns.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from bot import commands, texts
from bot.knowledge import Agreement
from bot.milestones.calendar import calendar_bytes, milestone_event
from bot.milestones.dates import (
    DEFAULT_LEADS,
    OSLO,
    DateError,
    Lead,
    format_datetime,
    looks_like_lead,
    parse_datetime,
    parse_leads,
)
from bot.milestones.model import MILESTONE_ID, Milestone, merge
from bot.milestones.planner import ALL, Delivery, next_occurrence
from bot.render import Reply, cut, echo, escape
from bot.search.analysis import fold, term_key, tokenize
from bot.storage import Actor, Change, Database


@dataclass(frozen=True)
class CalendarFile:
    """An .ics file to send as a document, with its caption (HTML)."""

    filename: str
    content: bytes
    caption: str


def _keys(*phrases: str) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(term_key(token.surface) for token in tokenize(phrase)) for phrase in phrases)


# How people ask "when?" — bokmål, nynorsk, dialect, and typed without æøå (term keys fold æøå away).
WHEN_PHRASES = _keys(
    "når", "naar", "når tid", "kva tid", "kor tid", "kvar tid", "ka tid", "hvilken dato", "kva dato", "dato",
    "datoen", "tidspunkt", "hvilken dag", "kva dag", "til hvilken tid", "hvor lenge til", "kor lenge til",
    "hvor lang tid til", "kor lang tid til", "hvor mange dager til", "kor mange dagar til",
)  # fmt: skip
# Of the when-phrases, those that ask for a date itself; and words that ask for one occurrence ("i år",
# "årets", a year): a question with either asks for a day the agreement cannot give ("hvilken dato er
# yrkesmessa i år?"), only the milestones can.
DATE_PHRASES = _keys("hvilken dato", "kva dato", "dato", "datoen", "tidspunkt", "hvilken dag", "kva dag")
OCCURRENCE_PHRASES = _keys("i år", "årets", "neste år", "til neste år", "til året", "i fjor", "i høst", "i vår")
# "Where?" asks for the milestone's place, which its lines give beside the date; only with a milestone named.
WHERE_PHRASES = _keys("hvor", "kor", "kvar", "hvilket sted", "kva stad", "sted", "stad")
# "Hvor" before these asks how much or how long, not where ("hvor mye koster seremonien?").
AMOUNT = {key for (key,) in _keys("mye", "mykje", "mange", "lenge", "lang", "langt", "stor", "store", "ofte", "høy")}
# What asks for the whole list: the milestones themselves, dates and the calendar.
LIST_PHRASES = _keys(
    "milepæl", "milepæler", "milepel", "milepeler", "milepal", "datoer", "datoene", "kalender", "kalenderen",
    "arrangement", "arrangementer", "hendelser", "frister", "viktige datoer",
)  # fmt: skip
# Words that only qualify the list ("når er neste milepæl?", "hvilke datoer er satt?"): filler here.
LIST_FILLER = _keys(
    "neste", "kommende", "første", "fyrste", "satt", "fastsatt", "bestemt", "planlagt", "viktige",
    "partnerskapets", "vårt", "oversikt", "liste", "arrangeres", "holdes",
)  # fmt: skip


def _find_phrases(keys: list[str], phrases: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where the phrases stand in the question's term keys: (start, end) spans, longest first."""
    spans: list[tuple[int, int]] = []
    position = 0
    longest = max((len(phrase) for phrase in phrases), default=1)
    while position < len(keys):
        for length in range(min(longest, len(keys) - position), 0, -1):
            if tuple(keys[position : position + length]) in phrases:
                spans.append((position, position + length))
                position += length
                break
        else:
            position += 1
    return spans


@dataclass(frozen=True)
class MilestoneQuestion:
    """What a question says about milestones: which it names, whether it asks when (or where), or for the
    list; and the question without those words, to search for whatever subject is left."""

    named: tuple[Milestone, ...]
    asks_when: bool
    asks_list: bool
    rest: str
    asks_date: bool = False  # a named milestone's date or one occurrence of it, which only the milestones hold

    @property
    def about_milestones(self) -> bool:
        return self.asks_when or self.asks_list


def days_text(days: int) -> str:
    return (texts.DAYS[0] if days == 1 else texts.DAYS[1]).format(n=days)


class MilestoneDesk:
    def __init__(self, agreement: Agreement, shipped: tuple[Milestone, ...], database: Database) -> None:
        self.agreement = agreement
        self.shipped = shipped
        self.database = database

    # -- reading ---------------------------------------------------------------------------------------
    def current(self) -> list[Milestone]:
        return merge(self.shipped, self.database.stored_milestones())

    def find(self, name: str) -> Milestone | None:
        """By id or alias, as people inflect it ("yrkesmessa" finds yrkesmesse, "seremonien" the ceremony)."""
        wanted = fold(name.lower().strip())
        wanted_keys = tuple(term_key(token.surface) for token in tokenize(name))
        for milestone in self.current():
            if wanted in (milestone.id, fold(milestone.id)) or wanted_keys in _names(milestone):
                return milestone
        return None

    def read_question(self, text: str) -> MilestoneQuestion:
        """The milestones a question names (by id or alias, inflected), and whether it asks when or for the
        list; `rest` is the question without the when- and list-words."""
        tokens = tokenize(text)
        keys = [term_key(token.surface) for token in tokens]
        named: list[Milestone] = []
        for milestone in self.current():
            if _find_phrases(keys, _names(milestone)) and milestone not in named:
                named.append(milestone)
        when = _find_phrases(keys, WHEN_PHRASES)
        where = [span for span in _find_phrases(keys, WHERE_PHRASES) if (keys[span[1] :] or [""])[0] not in AMOUNT]
        where = where if named else []
        listing = _find_phrases(keys, LIST_PHRASES)
        if listing and not named:
            listing += _find_phrases(keys, LIST_FILLER)
        dropped = {i for start, end in when + where + listing for i in range(start, end)}
        rest = " ".join(token.surface for i, token in enumerate(tokens) if i not in dropped)
        year = any(token.surface.isdigit() and len(token.surface) == 4 for token in tokens)
        occurrence = bool(year or _find_phrases(keys, DATE_PHRASES) or _find_phrases(keys, OCCURRENCE_PHRASES))
        return MilestoneQuestion(tuple(named), bool(when or where), bool(listing), rest, bool(named) and occurrence)

    def describe_when(self, milestone: Milestone, now: datetime) -> str:
        event_at = next_occurrence(milestone, now)
        if event_at is None:
            return texts.MILESTONE_NOT_SET
        days = (event_at.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days
        if days == 0:
            return texts.MILESTONE_TODAY.format(date=format_datetime(event_at))
        return texts.MILESTONE_WHEN.format(date=format_datetime(event_at), days=days_text(days))

    def _lines(self, milestone: Milestone, now: datetime) -> list[str]:
        lines = [
            texts.MILESTONE_LINE.format(
                title=escape(milestone.title),
                measure=escape(milestone.measure_id),
                when=escape(self.describe_when(milestone, now)),
            )
        ]
        if milestone.place:
            lines.append(texts.MILESTONE_PLACE.format(place=escape(milestone.place)))
        return lines

    def list_reply(self, now: datetime, chat_id: int | None = None) -> Reply:
        """/milepaeler: the next ones first, those without a date last; the footer says how to get reminders, or,
        in a chat (`chat_id`) that gets them, how to see or stop them."""
        milestones = self.current()
        if not milestones:
            return Reply(texts.MILESTONES_NONE)
        far = datetime.max.replace(tzinfo=OSLO)
        milestones.sort(key=lambda m: (next_occurrence(m, now) or far, m.title))
        lines = [texts.MILESTONES_HEADER]
        for milestone in milestones:
            lines.append("")
            lines += self._lines(milestone, now)
            lines.append(texts.MILESTONE_ID_HINT.format(id=escape(milestone.id)))
        subscribed = chat_id is not None and bool(self.database.subscriptions(chat_id))
        lines += ["", texts.MILESTONES_FOOTER_SUBSCRIBED if subscribed else texts.MILESTONES_FOOTER]
        return Reply("\n".join(lines))

    def when_lines(self, measure_ids: list[str], now: datetime, named: tuple[Milestone, ...] = ()) -> list[str]:
        """For "når er yrkesmessa?": the milestones named, else those of the measures the search found."""
        chosen = list(named) or [m for m in self.current() if m.measure_id in measure_ids]
        lines: list[str] = []
        for milestone in chosen:
            lines += self._lines(milestone, now)
        return [texts.WHEN_HEADER, *lines] if lines else []

    def run(self, command: str, chat_id: int, args: str, now: datetime, actor: Actor | None = None) -> Reply:
        """A milestone command (see `bot.commands.MILESTONE_COMMANDS`), after the adapter checked who may;
        edits are logged in the change log under `actor`."""
        handlers = {
            commands.SUBSCRIBE.name: lambda: self.subscribe(chat_id, args, now),
            commands.UNSUBSCRIBE.name: lambda: self.unsubscribe(chat_id, args),
            commands.REMINDERS.name: lambda: self.chat_reminders(chat_id, now),
            commands.SET_DATE.name: lambda: self.set_date(args, now, actor),
            commands.ADD_MILESTONE.name: lambda: self.add(args, actor, now),
            commands.REMOVE_MILESTONE.name: lambda: self.remove(args, actor, now),
            commands.RENAME_MILESTONE.name: lambda: self.rename(args, actor, now),
        }
        return handlers[command]()

    # -- the calendar ----------------------------------------------------------------------------------
    def dated(self, now: datetime) -> list[tuple[Milestone, datetime]]:
        """The milestones with a coming date, soonest first, with that date."""
        found = [(m, event_at) for m in self.current() if (event_at := next_occurrence(m, now))]
        return sorted(found, key=lambda pair: (pair[1], pair[0].title))

    def chat_leads(self, chat_id: int | None, milestone: Milestone, event_at: datetime) -> tuple[Lead, ...]:
        """The lead times a chat's subscriptions give this milestone (earliest alarm first); without a chat
        (the command line), the default leads."""
        if chat_id is None:
            return DEFAULT_LEADS
        subscriptions = self.database.subscriptions(chat_id) if self.database else []
        leads = {lead for s in subscriptions if s.covers(milestone.id) for lead in s.leads}
        return tuple(sorted(leads, key=lambda lead: lead.reminder_time(event_at)))

    def calendar(self, now: datetime, chat_id: int | None, milestone_id: str | None = None) -> CalendarFile | Reply:
        """One milestone's next occurrence as an .ics file, or (no id) every dated milestone in one file;
        a milestone without a date (or none with one) gets a message saying so instead."""
        milestones = self.current()
        if milestone_id is not None:
            milestones = [m for m in milestones if m.id == milestone_id]
            if not milestones:
                return Reply(texts.UNKNOWN_MILESTONE.format(name=escape(milestone_id)))
        dated = [(m, at) for m, at in self.dated(now) if m in milestones]
        undated = [m.title for m in milestones if m not in [pair[0] for pair in dated]]
        if not dated:
            if milestone_id is not None:
                return Reply(texts.CALENDAR_NOT_SET.format(title=escape(milestones[0].title)))
            return Reply(texts.CALENDAR_NONE_SET)
        events = [milestone_event(m, self.agreement, at, self.chat_leads(chat_id, m, at)) for m, at in dated]
        lines: list[str] = []
        if milestone_id is not None:
            milestone, event_at = dated[0]
            filename = f"{fold(milestone.id)}-{event_at.date().isoformat()}.ics"
            lines.append(
                texts.CALENDAR_CAPTION_ONE.format(title=escape(milestone.title), when=escape(format_datetime(event_at)))
            )
            content = calendar_bytes(events, now)
        else:
            filename = "milepaeler.ics"
            many, one = texts.CALENDAR_CAPTION_ALL
            lines.append(one if len(events) == 1 else many.format(count=len(events)))
            if undated:
                lines.append(texts.CALENDAR_UNDATED.format(titles=escape(", ".join(undated))))
            content = calendar_bytes(events, now, texts.CALENDAR_NAME)
        leads = sorted({lead for event in events for lead in event.leads}, key=lambda lead: lead.reminder_time(now))
        if chat_id is not None:
            described = ", ".join(lead.describe() for lead in leads)
            lines.append(texts.CALENDAR_ALARMS.format(leads=escape(described)) if leads else texts.CALENDAR_NO_ALARMS)
        return CalendarFile(filename, content, "\n".join(lines))

    # -- subscriptions ---------------------------------------------------------------------------------
    def _split_args(self, args: str) -> tuple[Milestone | None, str | None, tuple[Lead, ...]]:
        """ "[milepæl] [lead …]" → (milestone or None for all, an unknown name if any, leads)."""
        words = args.split()
        milestone = None
        if words and not looks_like_lead(words[0]):
            milestone = self.find(words[0])
            if milestone is None:
                return None, words[0], ()
            words = words[1:]
        leads = parse_leads(words) if words else DEFAULT_LEADS
        return milestone, None, leads

    def subscribe(self, chat_id: int, args: str, now: datetime) -> Reply:
        try:
            milestone, unknown, leads = self._split_args(args)
        except DateError as error:
            return Reply(escape(str(error)) + "\n" + texts.SUBSCRIBE_USAGE)
        if unknown:
            return Reply(texts.UNKNOWN_MILESTONE.format(name=echo(unknown)))
        self.database.subscribe(chat_id, milestone.id if milestone else ALL, leads, now)
        lead_text = escape(", ".join(lead.describe() for lead in leads))
        if milestone:
            lines = [texts.SUBSCRIBED_ONE.format(title=escape(milestone.title), leads=lead_text)]
        else:
            lines = [texts.SUBSCRIBED_ALL.format(leads=lead_text)]
        undated = [m.title for m in ([milestone] if milestone else self.current()) if m.starts_at is None]
        if undated:
            lines.append(texts.SUBSCRIBED_NO_DATE.format(titles=escape(" og ".join(undated))))
        return Reply("\n".join(lines))

    def unsubscribe(self, chat_id: int, args: str) -> Reply:
        name = args.strip()
        if name:
            milestone = self.find(name)
            if milestone is None:
                return Reply(texts.UNKNOWN_MILESTONE.format(name=echo(name)))
            removed = self.database.unsubscribe(chat_id, milestone.id)
            if removed:
                return Reply(texts.UNSUBSCRIBED_ONE.format(title=escape(milestone.title)))
            return Reply(texts.NOT_SUBSCRIBED)
        return Reply(texts.UNSUBSCRIBED if self.database.unsubscribe(chat_id) else texts.NOT_SUBSCRIBED)

    def chat_reminders(self, chat_id: int, now: datetime) -> Reply:
        """/varsler: what this chat gets, and the next milestone it will hear about."""
        subscriptions = self.database.subscriptions(chat_id)
        if not subscriptions:
            return Reply(texts.NOT_SUBSCRIBED)
        lines = [texts.REMINDERS_HEADER]
        by_id = {m.id: m for m in self.current()}
        covered: list[Milestone] = []
        for subscription in subscriptions:
            target = by_id.get(subscription.milestone_id)
            what = texts.REMINDERS_ALL if subscription.milestone_id == ALL else (target.title if target else "?")
            leads = ", ".join(lead.describe() for lead in subscription.leads)
            lines.append(texts.REMINDERS_LINE.format(what=escape(what), leads=escape(leads)))
            covered += list(by_id.values()) if subscription.milestone_id == ALL else ([target] if target else [])
        upcoming = sorted(((event, m) for m in covered if (event := next_occurrence(m, now))), key=lambda pair: pair[0])
        if upcoming:
            milestone = upcoming[0][1]
            lines.append(
                texts.REMINDERS_NEXT.format(
                    title=escape(milestone.title), when=escape(self.describe_when(milestone, now))
                )
            )
        return Reply("\n".join(lines))

    # -- admin edits -----------------------------------------------------------------------------------
    def _save(
        self, milestone: Milestone, actor: Actor | None, now: datetime, action: str, old: str | None, new: str | None
    ) -> None:
        """Store an edit, with its line in the change log when someone in a chat made it."""
        if actor is None:
            self.database.save_milestone(milestone)
            return
        self.database.save_milestone_change(milestone, Change(now, actor, action, milestone.id, old, new))

    def set_date(self, args: str, now: datetime, actor: Actor | None = None) -> Reply:
        """/settdato <milepæl> <dato> [kl. tid]: set or move a milestone; a bad or past date changes nothing."""
        name, _, when = args.strip().partition(" ")
        if not name or not when.strip():
            return Reply(texts.DATE_USAGE)
        milestone = self.find(name)
        if milestone is None:
            return Reply(texts.UNKNOWN_MILESTONE.format(name=echo(name)))
        try:
            starts_at = parse_datetime(when, now)
        except DateError as error:
            return Reply(escape(str(error)) + "\n" + texts.DATE_USAGE)
        old = format_datetime(milestone.starts_at) if milestone.starts_at else texts.MILESTONE_NOT_SET
        self._save(
            replace(milestone, starts_at=starts_at), actor, now, commands.SET_DATE.name, old, format_datetime(starts_at)
        )
        return Reply(texts.DATE_SET.format(title=escape(milestone.title), when=escape(format_datetime(starts_at))))

    def add(self, args: str, actor: Actor | None = None, now: datetime | None = None) -> Reply:
        """/nymilepael <navn> <tiltak> <tittel>"""
        parts = args.split(maxsplit=2)
        if len(parts) < 3:
            return Reply(texts.ADD_USAGE)
        milestone_id, measure_id, title = parts[0].lower(), parts[1], parts[2].strip()
        if not MILESTONE_ID.match(milestone_id):
            return Reply(texts.ADD_BAD_ID.format(id=echo(milestone_id)))
        if self.agreement.measure(measure_id) is None:
            return Reply(texts.ADD_BAD_MEASURE.format(measure=echo(measure_id)))
        if self.find(milestone_id) is not None:
            return Reply(texts.ADD_EXISTS.format(id=escape(milestone_id)))
        milestone = Milestone(milestone_id, cut(title, 100)[0], measure_id)
        new = f"{milestone.title} (tiltak {measure_id})"
        self._save(milestone, actor, now or datetime.now(OSLO), commands.ADD_MILESTONE.name, None, new)
        return Reply(texts.ADDED.format(title=escape(milestone.title), measure=escape(measure_id), id=milestone_id))

    def remove(self, args: str, actor: Actor | None = None, now: datetime | None = None) -> Reply:
        name = args.strip()
        if not name:
            return Reply(texts.REMOVE_USAGE)
        milestone = self.find(name)
        if milestone is None:
            return Reply(texts.UNKNOWN_MILESTONE.format(name=echo(name)))
        old = f"{milestone.title} (tiltak {milestone.measure_id})"
        self._save(
            replace(milestone, removed=True),
            actor,
            now or datetime.now(OSLO),
            commands.REMOVE_MILESTONE.name,
            old,
            None,
        )
        return Reply(texts.REMOVED.format(title=escape(milestone.title)))

    def rename(self, args: str, actor: Actor | None = None, now: datetime | None = None) -> Reply:
        """/endrenavn <milepæl> <ny tittel>: the title only; dates, subscriptions and delivery log stay."""
        name, _, title = args.strip().partition(" ")
        title = " ".join(title.split())
        if not name or not title:
            return Reply(texts.RENAME_USAGE)
        milestone = self.find(name)
        if milestone is None:
            return Reply(texts.UNKNOWN_MILESTONE.format(name=escape(name)))
        title = cut(title, 100)[0]
        if title == milestone.title:
            return Reply(texts.RENAME_SAME.format(title=escape(title)))
        renamed = replace(milestone, title=title)
        self._save(renamed, actor, now or datetime.now(OSLO), commands.RENAME_MILESTONE.name, milestone.title, title)
        return Reply(texts.RENAMED.format(old=escape(milestone.title), new=escape(title)))

    # -- the reminder itself ---------------------------------------------------------------------------
    def reminder_text(self, delivery: Delivery, now: datetime) -> str:
        milestone = delivery.milestone
        remaining = delivery.event_at - now
        days = (delivery.event_at.astimezone(OSLO).date() - now.astimezone(OSLO).date()).days
        if days >= 1:
            left = texts.REMINDER_LEFT_DAYS.format(days=days_text(days))
        else:
            minutes = max(1, round(remaining.total_seconds() / 60))  # sent a second late, still "om 2 min"
            hours, rest = divmod(minutes, 60)
            left = (
                texts.REMINDER_LEFT_HOURS.format(hours=hours, minutes=rest)
                if hours
                else texts.REMINDER_LEFT_MINUTES.format(minutes=minutes)
            )
        measure = self.agreement.measure(milestone.measure_id)
        return texts.REMINDER.format(
            title=escape(milestone.title),
            when=escape(format_datetime(delivery.event_at)).capitalize(),
            left=escape(left),
            place=texts.MILESTONE_PLACE.format(place=escape(milestone.place)) + "\n" if milestone.place else "",
            measure=escape(milestone.measure_id),
            text=escape(cut(measure.text, 200)[0]) if measure else "",
        )


def _names(milestone: Milestone) -> frozenset[tuple[str, ...]]:
    """A milestone's names as term-key phrases: its id, its title and its aliases."""
    return _keys(milestone.id, milestone.title, *milestone.aliases)
