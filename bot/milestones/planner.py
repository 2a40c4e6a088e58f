"""Planning reminders: a pure function of milestones, subscriptions, the delivery log and the clock.

The schedule is derived state: nothing about it is stored but the subscriptions and what was delivered, so
a restart rebuilds it exactly and a reminder that fell due while the bot was down is found and sent, once.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from bot.milestones.dates import Lead, next_yearly
from bot.milestones.model import Milestone

ALL = "*"  # a subscription to every milestone

DeliveryKey = tuple[str, str, str, int]  # (milestone id, occurrence date, lead, chat id)


@dataclass(frozen=True)
class Subscription:
    chat_id: int
    milestone_id: str  # or ALL
    leads: tuple[Lead, ...]
    since: datetime  # reminders that fell due before the chat subscribed are not owed to it

    def covers(self, milestone_id: str) -> bool:
        return self.milestone_id in (ALL, milestone_id)


@dataclass(frozen=True)
class Delivery:
    due_at: datetime
    milestone: Milestone
    event_at: datetime
    lead: Lead
    chat_id: int

    @property
    def occurrence(self) -> str:
        return self.event_at.date().isoformat()

    @property
    def key(self) -> DeliveryKey:
        return (self.milestone.id, self.occurrence, str(self.lead), self.chat_id)


@dataclass(frozen=True)
class Plan:
    due: list[Delivery]  # send now, oldest first
    superseded: list[Delivery]  # overdue, but a later reminder for the same event is due too: logged, not sent
    next_at: datetime | None  # when to plan again: the next reminder, or the event a yearly milestone rolls on at


def next_occurrence(milestone: Milestone, now: datetime) -> datetime | None:
    """The milestone's next event after `now` (yearly ones roll on), or None (no date, or past)."""
    if milestone.starts_at is None:
        return None
    if milestone.recurrence == "yearly":
        return next_yearly(milestone.starts_at, now)
    return milestone.starts_at if milestone.starts_at > now else None


def plan(
    milestones: Iterable[Milestone],
    subscriptions: Iterable[Subscription],
    delivered: set[DeliveryKey],
    now: datetime,
) -> Plan:
    """What to send now and when to look again.

    For each chat and event, of the reminders already due and not delivered only the latest is sent (a
    bot that was down for two weeks sends "tomorrow", not also "in 14 days"); the others are superseded.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    subscriptions = list(subscriptions)
    overdue: dict[tuple[str, int], list[Delivery]] = defaultdict(list)
    next_at: datetime | None = None
    for milestone in milestones:
        event_at = next_occurrence(milestone, now)
        if event_at is None:
            continue
        leads_by_chat: dict[int, set[Lead]] = defaultdict(set)
        since_by_chat: dict[int, datetime] = {}
        for subscription in subscriptions:
            if subscription.covers(milestone.id):
                leads_by_chat[subscription.chat_id].update(subscription.leads)
                since = since_by_chat.get(subscription.chat_id)
                since_by_chat[subscription.chat_id] = min(since, subscription.since) if since else subscription.since
        for chat_id, leads in leads_by_chat.items():
            for lead in leads:
                delivery = Delivery(lead.reminder_time(event_at), milestone, event_at, lead, chat_id)
                if delivery.due_at > now:
                    if delivery.key not in delivered:
                        next_at = delivery.due_at if next_at is None else min(next_at, delivery.due_at)
                elif delivery.due_at >= since_by_chat[chat_id]:
                    overdue[(milestone.id, chat_id)].append(delivery)
        if leads_by_chat and milestone.recurrence == "yearly":
            # Once this year's reminders are out, the next ones belong to next year's occurrence, which is
            # planned from the moment this one has passed: wake then, or a running bot would never get there.
            next_at = event_at if next_at is None else min(next_at, event_at)
    due, superseded = [], []
    for deliveries in overdue.values():
        deliveries.sort(key=lambda d: d.due_at)
        *earlier, latest = deliveries
        if latest.key not in delivered:
            due.append(latest)
        superseded += [d for d in earlier if d.key not in delivered]
    due.sort(key=lambda d: (d.due_at, d.chat_id))
    return Plan(due, superseded, next_at)
