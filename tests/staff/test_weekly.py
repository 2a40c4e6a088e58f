"""The weekly summary's planner: Monday 09:00 Oslo, once a week, the current week's only."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bot.milestones.dates import OSLO
from bot.staff.weekly import SummarySubscriber, plan_summaries

MONDAY_9 = datetime(2026, 11, 30, 9, 0, tzinfo=OSLO)
ADMIN = SummarySubscriber(999, 999, datetime(2026, 11, 1, tzinfo=OSLO))


def test_before_monday_nine_nothing_is_due_and_the_wake_up_is_monday_nine() -> None:
    plan = plan_summaries([ADMIN], set(), MONDAY_9 - timedelta(seconds=1))
    assert plan.due == [] and plan.next_at == MONDAY_9


def test_at_monday_nine_it_is_due_and_the_next_is_a_week_later() -> None:
    plan = plan_summaries([ADMIN], set(), MONDAY_9)
    assert [(d.chat_id, d.monday.isoformat()) for d in plan.due] == [(999, "2026-11-30")]
    assert plan.next_at == MONDAY_9 + timedelta(days=7)


def test_delivered_is_never_planned_again() -> None:
    plan = plan_summaries([ADMIN], {("2026-11-30", 999)}, MONDAY_9 + timedelta(minutes=5))
    assert plan.due == [] and plan.next_at == MONDAY_9 + timedelta(days=7)


def test_down_on_monday_it_is_sent_late_that_week_but_a_missed_week_is_not_sent_a_week_late() -> None:
    tuesday = MONDAY_9 + timedelta(days=1, hours=3)
    assert [d.monday.isoformat() for d in plan_summaries([ADMIN], set(), tuesday).due] == ["2026-11-30"]
    next_monday_early = MONDAY_9 + timedelta(days=7, hours=-1)  # last week's was never sent
    assert plan_summaries([ADMIN], set(), next_monday_early).due == []


def test_not_owed_before_opting_in() -> None:
    late = SummarySubscriber(999, 999, MONDAY_9 + timedelta(hours=1))
    plan = plan_summaries([late], set(), MONDAY_9 + timedelta(hours=2))
    assert plan.due == [] and plan.next_at == MONDAY_9 + timedelta(days=7)


def test_daylight_saving_never_moves_nine_oclock() -> None:
    after_switch = datetime(2026, 3, 30, 8, 0, tzinfo=OSLO)  # the Monday after summer time began
    plan = plan_summaries([ADMIN], set(), after_switch)
    assert plan.next_at is not None and plan.next_at.astimezone(OSLO).hour == 9
    assert plan.next_at.utcoffset() == timedelta(hours=2)


def test_no_subscribers_no_wake_up_and_naive_time_refused() -> None:
    assert plan_summaries([], set(), MONDAY_9).next_at is None
    with pytest.raises(ValueError):
        plan_summaries([ADMIN], set(), MONDAY_9.replace(tzinfo=None))
