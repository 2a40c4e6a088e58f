"""Milestones as an iCalendar file (.ics) that Outlook, Google Calendar and Apple Calendar import.

Pure: milestones, leads and the clock in, bytes out. The `icalendar` library writes the format (escaping,
folding at 75 octets, CRLF); this module decides what goes in. Two choices are about clients, not the RFC:
- The time zone is Europe/Oslo written as rules (last Sunday of March and October), the way Outlook and
  Google write it themselves: Outlook misreads a VTIMEZONE given as a list of dates (RDATE), which is what
  icalendar's own `Timezone.from_tzid` writes.
- One event per occurrence, its UID the milestone and the year, so the same occurrence keeps its UID across
  runs and restarts (a date moved within the year updates the entry instead of adding a second), and next
  year's occurrence of a yearly milestone is a new event.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot import texts
from bot.knowledge import Agreement
from bot.milestones.dates import OSLO, Lead
from bot.milestones.model import Milestone

if TYPE_CHECKING:  # imported where a file is made: icalendar took a twentieth of the bot's start-up
    from icalendar import Timezone

TZID = "Europe/Oslo"  # the IANA name: Google and Apple know it; Outlook reads the rules below
PRODID = "-//Indre Ostfold regionrad og Viken fylkeskommune//Partnerskapsboten//NB"
UID_DOMAIN = "partnerskapsboten"
MEDIA_TYPE = "text/calendar"


@dataclass(frozen=True)
class CalendarEvent:
    """One occurrence of a milestone, with what the calendar entry says and when it rings."""

    uid: str
    title: str
    starts_at: datetime  # aware, Oslo
    place: str | None
    description: str
    leads: tuple[Lead, ...]


def event_uid(milestone: Milestone, starts_at: datetime) -> str:
    """Stable across runs, distinct per occurrence: a yearly milestone happens once a year."""
    return f"{milestone.id}-{starts_at.astimezone(OSLO).year}@{UID_DOMAIN}"


def milestone_event(
    milestone: Milestone, agreement: Agreement, starts_at: datetime, leads: Sequence[Lead]
) -> CalendarEvent:
    """The entry for a milestone's occurrence: the measure's text verbatim from the agreement."""
    measure = agreement.measure(milestone.measure_id)
    description = texts.CALENDAR_DESCRIPTION.format(
        measure=milestone.measure_id, text=measure.text if measure else "", agreement=agreement.title
    )
    return CalendarEvent(
        uid=event_uid(milestone, starts_at),
        title=milestone.title,
        starts_at=starts_at.astimezone(OSLO),
        place=milestone.place,
        description=description,
        leads=tuple(leads),
    )


def alarm_trigger(lead: Lead, event_at: datetime) -> timedelta:
    """How long before the start the alarm rings: the bot's reminder time (a day lead at 09:00 Oslo time
    that day) on the wall clock. icalendar writes whole days as days, which a calendar counts on the wall
    clock, and the rest as exact hours and minutes (RFC 5545 3.3.6), so daylight saving in between does not
    move the alarm off the bot's reminder."""
    local = event_at.astimezone(OSLO)
    reminder = lead.reminder_time(local).astimezone(OSLO)
    return reminder.replace(tzinfo=None) - local.replace(tzinfo=None)


def oslo_timezone() -> Timezone:
    """Europe/Oslo with its daylight saving rules (EU rules, in force in Norway since 1996)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard

    zone = Timezone()
    zone.add("tzid", TZID)
    zone.add("x-lic-location", TZID)
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", timedelta(hours=1))
    summer.add("tzoffsetto", timedelta(hours=2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0))
    summer.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", timedelta(hours=2))
    winter.add("tzoffsetto", timedelta(hours=1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0))
    winter.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    zone.add_component(summer)
    zone.add_component(winter)
    return zone


def calendar_bytes(events: Sequence[CalendarEvent], now: datetime, name: str | None = None) -> bytes:
    """The .ics file: UTF-8, CRLF, lines folded at 75 octets, text escaped (all by `icalendar`)."""
    from icalendar import Alarm, Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    if name:
        calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add_component(oslo_timezone())
    stamp = now.astimezone(UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at.astimezone(OSLO))
        event.add("summary", item.title)
        event.add("description", item.description)
        if item.place:
            event.add("location", item.place)
        for lead in item.leads:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", texts.CALENDAR_ALARM.format(title=item.title))
            alarm.add("trigger", alarm_trigger(lead, item.starts_at))
            event.add_component(alarm)
        calendar.add_component(event)
    return bytes(calendar.to_ical())
