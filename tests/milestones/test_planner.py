"""The planner with a controllable clock: what is due, once, and when to look again."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone
from bot.milestones.planner import ALL, Subscription, plan

EVENT = datetime(2027, 10, 14, 9, 0, tzinfo=OSLO)
FAIR = Milestone("yrkesmesse", "Regional yrkesmesse", "1.7", starts_at=EVENT)
CEREMONY = Milestone("fagbrevseremoni", "Seremoni", "1.8", starts_at=datetime(2027, 6, 1, 18, 0, tzinfo=OSLO))
UNDATED = Milestone("nytt", "Uten dato", "1.1")
LONG_AGO = datetime(2026, 1, 1, tzinfo=OSLO)


def subscription(chat_id: int, *leads: Lead, milestone_id: str = ALL, since: datetime = LONG_AGO) -> Subscription:
    return Subscription(chat_id, milestone_id, leads or (Lead(14, "d"), Lead(1, "d")), since)


def test_nothing_due_before_the_first_lead_and_the_wake_up_is_exact() -> None:
    result = plan([FAIR], [subscription(1)], set(), datetime(2027, 9, 1, tzinfo=OSLO))
    assert result.due == [] and result.next_at == datetime(2027, 9, 30, 9, 0, tzinfo=OSLO)


def test_day_hour_and_minute_leads_fall_due_at_their_time() -> None:
    sub = subscription(1, Lead(1, "d"), Lead(2, "t"), Lead(30, "m"))
    times = []
    now = datetime(2027, 10, 1, tzinfo=OSLO)
    delivered: set[tuple[str, str, str, int]] = set()
    while True:
        result = plan([FAIR], [sub], delivered, now)
        for delivery in result.due:
            times.append((str(delivery.lead), delivery.due_at.strftime("%d %H:%M")))
            delivered.add(delivery.key)
        assert result.next_at is not None  # a yearly milestone always has a next time to look
        if result.next_at >= EVENT:
            break
        now = result.next_at
    assert times == [("1d", "13 09:00"), ("2t", "14 07:00"), ("30m", "14 08:30")]


def test_a_running_bot_wakes_when_the_event_passes_and_reaches_next_years_reminders() -> None:
    sub = subscription(1, Lead(1, "d"))
    first = plan([FAIR], [sub], set(), EVENT - timedelta(days=1))
    assert [d.occurrence for d in first.due] == ["2027-10-14"]
    after_the_last_reminder = plan([FAIR], [sub], {first.due[0].key}, EVENT - timedelta(hours=20))
    assert after_the_last_reminder.due == [] and after_the_last_reminder.next_at == EVENT
    at_the_event = plan([FAIR], [sub], {first.due[0].key}, EVENT)
    assert at_the_event.next_at == datetime(2028, 10, 13, 9, 0, tzinfo=OSLO)
    once = Milestone("engang", "Engang", "1.7", recurrence="once", starts_at=EVENT)
    assert plan([once], [sub], set(), EVENT - timedelta(hours=20)).next_at is None  # nothing after a one-off


def test_a_logged_reminder_is_never_due_again() -> None:
    now = datetime(2027, 10, 13, 9, 0, 1, tzinfo=OSLO)
    first = plan([FAIR], [subscription(1)], set(), now)
    assert [str(d.lead) for d in first.due] == ["1d"]
    again = plan([FAIR], [subscription(1)], {first.due[0].key}, now + timedelta(minutes=5))
    assert again.due == []
    assert again.next_at == EVENT  # nothing more for this event: the next look is when it rolls on
    assert plan([FAIR], [subscription(1)], {first.due[0].key}, EVENT).due == []


def test_catch_up_after_downtime_sends_the_latest_once() -> None:
    # Down from 20 September to the evening of 13 October: both the 14-day and the 1-day reminder fell due.
    result = plan([FAIR], [subscription(1)], set(), datetime(2027, 10, 13, 20, 0, tzinfo=OSLO))
    assert [str(d.lead) for d in result.due] == ["1d"]
    assert [str(d.lead) for d in result.superseded] == ["14d"]


def test_no_catch_up_once_the_event_has_passed_and_the_next_year_is_planned() -> None:
    after = EVENT + timedelta(hours=1)
    result = plan([FAIR], [subscription(1)], set(), after)
    assert result.due == [] and result.superseded == []
    assert result.next_at == datetime(2028, 9, 30, 9, 0, tzinfo=OSLO)


def test_yearly_roll_over_gives_new_keys() -> None:
    this_year = plan([FAIR], [subscription(1)], set(), datetime(2027, 10, 13, 10, tzinfo=OSLO)).due[0]
    next_year = plan([FAIR], [subscription(1)], {this_year.key}, datetime(2028, 10, 13, 10, tzinfo=OSLO)).due[0]
    assert this_year.occurrence == "2027-10-14" and next_year.occurrence == "2028-10-14"


def walk(milestone: Milestone, sub: Subscription, start: datetime) -> list[datetime]:
    """Run the planner as the bot does: wake at next_at, send what is due, log it; the send times."""
    delivered: set[tuple[str, str, str, int]] = set()
    sent, now = [], start
    while now is not None and now <= milestone.starts_at:  # type: ignore[operator]
        result = plan([milestone], [sub], delivered, now)
        sent += [now for _ in result.due]
        delivered |= {d.key for d in result.due}
        now = result.next_at  # type: ignore[assignment]
    return sent


def test_daylight_saving_changes_do_not_move_nine_oclock() -> None:
    for event in (datetime(2027, 3, 29, 12, 0, tzinfo=OSLO), datetime(2027, 11, 1, 12, 0, tzinfo=OSLO)):
        milestone = Milestone("m", "Møte", "1.7", recurrence="once", starts_at=event)
        sent = walk(milestone, subscription(1, Lead(1, "d"), Lead(2, "d")), datetime(2027, 3, 1, tzinfo=OSLO))
        assert [t.astimezone(OSLO).strftime("%d %H:%M") for t in sent] == [
            (event - timedelta(days=2)).strftime("%d 09:00"),
            (event - timedelta(days=1)).strftime("%d 09:00"),
        ]
        assert len({t.utcoffset() for t in sent}) == 2  # one before and one after the change


def test_only_subscribed_chats_and_their_milestones() -> None:
    subs = [subscription(1, Lead(1, "d"), milestone_id="fagbrevseremoni"), subscription(2, Lead(1, "d"))]
    now = datetime(2027, 10, 13, 10, tzinfo=OSLO)
    assert [(d.chat_id, d.milestone.id) for d in plan([FAIR, CEREMONY, UNDATED], subs, set(), now).due] == [
        (2, "yrkesmesse")
    ]
    assert plan([FAIR], [], set(), now).due == []


def test_a_new_subscriber_is_not_owed_what_fell_due_before() -> None:
    late = subscription(1, since=datetime(2027, 10, 5, tzinfo=OSLO))
    result = plan([FAIR], [late], set(), datetime(2027, 10, 6, tzinfo=OSLO))
    assert result.due == [] and result.next_at == datetime(2027, 10, 13, 9, 0, tzinfo=OSLO)


def test_overlapping_subscriptions_send_one_reminder_per_lead() -> None:
    subs = [subscription(1, Lead(1, "d")), subscription(1, Lead(1, "d"), milestone_id="yrkesmesse")]
    assert len(plan([FAIR], subs, set(), datetime(2027, 10, 13, 10, tzinfo=OSLO)).due) == 1
