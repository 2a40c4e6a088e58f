"""Milestones and subscriptions as the chat sees them: listing, "når er …?", subscribing, admin edits.

Pure Python over the database; the Telegram adapter decides who is an admin and sends what this returns.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime

from bot import commands, texts
from bot.knowledge import Agreement
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
from bot.search.analysis import fold, term_key
from bot.storage import Database

_WHEN_WORDS = re.compile(r"\b(når|naar|kva tid|kvar tid|dato|datoen|datoer|tidspunkt|tidspunktet)\b", re.I)


def is_when_question(text: str) -> bool:
    return bool(_WHEN_WORDS.search(text))


def days_text(days: int) -> str:
    return (texts.DAYS[0] if days == 1 else texts.DAYS[1]).format(n=days)


class MilestoneDesk:
    def __init__(self, agreement: Agreement, shipped: tuple[Milestone, ...], database: Database | None) -> None:
        self.agreement = agreement
        self.shipped = shipped
        self.database = database

    # -- reading ---------------------------------------------------------------------------------------
    def current(self) -> list[Milestone]:
        stored = self.database.stored_milestones() if self.database else []
        return merge(self.shipped, stored)

    def find(self, name: str) -> Milestone | None:
        """By id, or by a word of it as people inflect it ("yrkesmessa" finds yrkesmesse)."""
        wanted = fold(name.lower().strip())
        wanted_key = term_key(wanted)
        for milestone in self.current():
            if wanted in (milestone.id, fold(milestone.id)) or wanted_key == term_key(milestone.id):
                return milestone
        return None

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

    def list_reply(self, now: datetime) -> Reply:
        """/milepaeler: the next ones first, those without a date last."""
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
        lines += ["", texts.MILESTONES_FOOTER]
        return Reply("\n".join(lines))

    def when_lines(self, measure_ids: list[str], now: datetime) -> list[str]:
        """For "når er yrkesmessa?": the milestones of the measures the search found."""
        lines: list[str] = []
        for milestone in self.current():
            if milestone.measure_id in measure_ids:
                lines += self._lines(milestone, now)
        return [texts.WHEN_HEADER, *lines] if lines else []

    def run(self, command: str, chat_id: int, args: str, now: datetime) -> Reply:
        """A milestone command (see `bot.commands.MILESTONE_COMMANDS`), after the adapter checked who may."""
        handlers = {
            commands.SUBSCRIBE.name: lambda: self.subscribe(chat_id, args, now),
            commands.UNSUBSCRIBE.name: lambda: self.unsubscribe(chat_id, args),
            commands.REMINDERS.name: lambda: self.chat_reminders(chat_id, now),
            commands.SET_DATE.name: lambda: self.set_date(args, now),
            commands.ADD_MILESTONE.name: lambda: self.add(args),
            commands.REMOVE_MILESTONE.name: lambda: self.remove(args),
        }
        return handlers[command]()

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
        assert self.database is not None
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
        assert self.database is not None
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
        assert self.database is not None
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
    def set_date(self, args: str, now: datetime) -> Reply:
        """/settdato <milepæl> <dato> [kl. tid]: set or move a milestone; a bad or past date changes nothing."""
        assert self.database is not None
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
        self.database.save_milestone(replace(milestone, starts_at=starts_at))
        return Reply(texts.DATE_SET.format(title=escape(milestone.title), when=escape(format_datetime(starts_at))))

    def add(self, args: str) -> Reply:
        """/nymilepael <navn> <tiltak> <tittel>"""
        assert self.database is not None
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
        self.database.save_milestone(milestone)
        return Reply(texts.ADDED.format(title=escape(milestone.title), measure=escape(measure_id), id=milestone_id))

    def remove(self, args: str) -> Reply:
        assert self.database is not None
        name = args.strip()
        if not name:
            return Reply(texts.REMOVE_USAGE)
        milestone = self.find(name)
        if milestone is None:
            return Reply(texts.UNKNOWN_MILESTONE.format(name=echo(name)))
        self.database.save_milestone(replace(milestone, removed=True))
        return Reply(texts.REMOVED.format(title=escape(milestone.title)))

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
