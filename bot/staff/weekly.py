"""Planning the weekly summary: a pure function of the subscribers, the delivery log and the clock.

The same idea as the milestone planner (`bot.milestones.planner`): nothing about the schedule is stored but who
opted in and what was delivered, so a restart rebuilds it and a summary that fell due while the bot was down is
sent at start, once. A week missed entirely is not sent late a week later: only the current week's is owed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot.milestones.dates import OSLO

SEND_AT = time(9, 0)  # Monday 09:00 Europe/Oslo, whatever daylight saving does

SummaryKey = tuple[str, int]  # (the Monday it is sent, ISO date; chat id)


@dataclass(frozen=True)
class SummarySubscriber:
    chat_id: int  # an admin's private chat
    user_id: int
    since: datetime  # a summary that fell due before the admin opted in is not owed


@dataclass(frozen=True)
class SummaryDue:
    chat_id: int
    user_id: int
    monday: date  # the Monday it goes out; it covers the seven days before

    @property
    def key(self) -> SummaryKey:
        return (self.monday.isoformat(), self.chat_id)

    @property
    def due_at(self) -> datetime:
        return send_time(self.monday)


@dataclass(frozen=True)
class SummaryPlan:
    due: list[SummaryDue]
    next_at: datetime | None


def send_time(monday: date) -> datetime:
    return datetime.combine(monday, SEND_AT, tzinfo=OSLO)


def this_monday(now: datetime) -> date:
    local = now.astimezone(OSLO).date()
    return local - timedelta(days=local.weekday())


def plan_summaries(subscribers: Iterable[SummarySubscriber], delivered: set[SummaryKey], now: datetime) -> SummaryPlan:
    """What to send now and when to look again."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    monday = this_monday(now)
    slot = send_time(monday)
    subscribers = list(subscribers)
    if now < slot:  # Monday before nine: this week's is next
        return SummaryPlan([], slot if subscribers else None)
    due = [
        SummaryDue(s.chat_id, s.user_id, monday)
        for s in subscribers
        if s.since <= slot and (monday.isoformat(), s.chat_id) not in delivered
    ]
    return SummaryPlan(due, send_time(monday + timedelta(days=7)) if subscribers else None)
