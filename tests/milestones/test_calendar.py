"""The .ics files: read back by icalendar and by vobject (an independent parser), and free of the pitfalls
Outlook and Google trip over: lines over 75 octets, bare LF, unescaped commas and semicolons, a time zone
without rules or with wrong daylight saving."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge import Agreement
from bot.milestones.calendar import TZID, alarm_trigger, calendar_bytes, milestone_event
from bot.milestones.dates import OSLO, Lead, parse_leads
from bot.milestones.desk import CalendarFile, MilestoneDesk
from bot.milestones.model import load_milestones
from bot.render import Reply
from bot.storage import open_database

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)
FAIR = datetime(2027, 10, 14, 13, 0, tzinfo=OSLO)
CEREMONY = datetime(2027, 6, 3, 18, 30, tzinfo=OSLO)
LEADS = parse_leads(["14d", "1d", "2t", "30m"])
# The longest measure, and a title and place with æøå, commas and semicolons: what folding and escaping meet.
AWKWARD_TITLE = "Yrkesmesse; «Fremtidens fagarbeidere», Østfold – åpen dag for ungdomsskoleelever og lærere"
AWKWARD_PLACE = "Mysen videregående skole, Askim; Eidsberg (Indre Østfold)"


def longest_measure(agreement: Agreement) -> str:
    return max((m for area in agreement.areas for m in area.measures), key=lambda m: len(m.text)).id


@pytest.fixture
def desk(agreement: Agreement) -> MilestoneDesk:
    fair, ceremony = load_milestones(agreement)
    shipped = (
        replace(fair, starts_at=FAIR, title=AWKWARD_TITLE, place=AWKWARD_PLACE, measure_id=longest_measure(agreement)),
        replace(ceremony, starts_at=CEREMONY),
    )
    return MilestoneDesk(agreement, shipped, open_database("sqlite:///:memory:"))


def ics(desk: MilestoneDesk, now: datetime = NOW) -> bytes:
    result = desk.calendar(now, None)
    assert isinstance(result, CalendarFile)
    return result.content


def unfolded_lines(content: bytes) -> list[str]:
    return content.decode().replace("\r\n ", "").split("\r\n")


def test_reads_back_with_icalendar(desk: MilestoneDesk, agreement: Agreement) -> None:
    calendar = icalendar.Calendar.from_ical(ics(desk))
    events = calendar.walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == [desk.shipped[1].title, AWKWARD_TITLE]  # soonest first
    ceremony, fair = events
    assert fair.start == FAIR and fair.start.tzinfo is not None and fair.start.utcoffset() == timedelta(hours=2)
    assert ceremony.start == CEREMONY
    measure = agreement.measure(longest_measure(agreement))
    assert measure is not None and measure.text in str(fair["DESCRIPTION"])  # verbatim, unfolded, unescaped
    assert agreement.measure("1.8").text in str(ceremony["DESCRIPTION"])  # type: ignore[union-attr]
    assert str(fair["LOCATION"]) == AWKWARD_PLACE
    assert [a["TRIGGER"].dt for a in fair.walk("VALARM")] == [-timedelta(days=14, hours=4), -timedelta(days=1, hours=4)]
    assert all(str(a["ACTION"]) == "DISPLAY" and a["DESCRIPTION"] for a in fair.walk("VALARM"))


def test_reads_back_with_vobject(desk: MilestoneDesk, agreement: Agreement) -> None:
    calendar = vobject.readOne(ics(desk).decode())
    events = sorted(calendar.vevent_list, key=lambda e: e.dtstart.value)
    assert [e.summary.value for e in events] == [desk.shipped[1].title, AWKWARD_TITLE]
    fair = events[1]
    assert fair.dtstart.value.astimezone(UTC) == FAIR.astimezone(UTC)
    assert fair.location.value == AWKWARD_PLACE
    assert agreement.measure(longest_measure(agreement)).text in fair.description.value  # type: ignore[union-attr]
    assert fair.uid.value == "yrkesmesse-2027@partnerskapsboten"
    assert sorted(a.trigger.value for a in fair.valarm_list) == [
        -timedelta(days=14, hours=4),
        -timedelta(days=1, hours=4),
    ]


def test_lines_are_folded_at_75_octets_without_cutting_a_letter(desk: MilestoneDesk) -> None:
    content = ics(desk)
    physical = content.split(b"\r\n")
    assert max(len(line) for line in physical) <= 75
    assert any(len(line) > 75 for line in unfolded_lines(content))  # there was something to fold …
    assert any(b"\xc3" in line for line in physical if line.startswith(b" "))  # … æøå among it
    for line in physical:
        line.decode("utf-8")  # a fold never splits a multi-byte letter


def test_crlf_line_endings_only(desk: MilestoneDesk) -> None:
    content = ics(desk)
    assert content.endswith(b"END:VCALENDAR\r\n")
    assert content.count(b"\n") == content.count(b"\r\n") and b"\r\r" not in content


def test_commas_and_semicolons_are_escaped(desk: MilestoneDesk) -> None:
    lines = unfolded_lines(ics(desk))
    summary = next(line for line in lines if line.startswith("SUMMARY:Yrkesmesse"))
    assert summary == "SUMMARY:" + AWKWARD_TITLE.replace(";", "\\;").replace(",", "\\,")
    location = next(line for line in lines if line.startswith("LOCATION:Mysen"))
    assert location == "LOCATION:" + AWKWARD_PLACE.replace(";", "\\;").replace(",", "\\,")
    description = next(line for line in lines if line.startswith("DESCRIPTION:Tiltak"))
    assert "\\n" in description and "\n" not in description  # the line break inside the text is escaped too


def test_a_vtimezone_with_the_oslo_rules_clients_know(desk: MilestoneDesk) -> None:
    content = ics(desk)
    calendar = icalendar.Calendar.from_ical(content)
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == TZID == "Europe/Oslo"
    assert b"RDATE" not in content  # Outlook misreads a zone given as a list of dates
    assert all(
        f"DTSTART;TZID={TZID}:".encode() in line for line in content.split(b"\r\n") if line.startswith(b"DTSTART;")
    )
    assert calendar.get_missing_tzids() == set()


def transition_instants(year: int) -> list[datetime]:
    """Every half hour of the two days daylight saving changes in a year, and noon of every week, in UTC."""
    instants = [datetime(year, 1, 1, 11, tzinfo=UTC) + timedelta(weeks=week) for week in range(53)]
    for month in (3, 10):
        last_sunday = max(date(year, month, day) for day in range(25, 32) if date(year, month, day).weekday() == 6)
        start = datetime.combine(last_sunday - timedelta(days=1), time(12), tzinfo=UTC)
        instants += [start + timedelta(minutes=30 * step) for step in range(48)]
    return instants


def test_the_daylight_saving_rules_match_the_tz_database_1996_to_2050(desk: MilestoneDesk) -> None:
    """Both parsers turn the file's VTIMEZONE into a time zone; it must agree with Europe/Oslo at every
    change of daylight saving from 1996 (when Norway took the EU rules) on."""
    content = ics(desk)
    from_icalendar = icalendar.Calendar.from_ical(content).walk("VTIMEZONE")[0].to_tz()
    from_vobject = vobject.readOne(content.decode()).vevent_list[0].dtstart.value.tzinfo
    assert not isinstance(from_vobject, ZoneInfo)  # built from the file's rules, not looked up by name
    oslo = ZoneInfo("Europe/Oslo")
    for year in range(1996, 2051):
        for instant in transition_instants(year):
            expected = instant.astimezone(oslo).utcoffset()
            assert instant.astimezone(from_icalendar).utcoffset() == expected, (instant, "icalendar")
            assert instant.astimezone(from_vobject).utcoffset() == expected, (instant, "vobject")


def test_uid_is_stable_across_runs_and_distinct_per_occurrence(desk: MilestoneDesk) -> None:
    def uids(content: bytes) -> list[str]:
        return [str(e["UID"]) for e in icalendar.Calendar.from_ical(content).walk("VEVENT")]

    first = uids(ics(desk))
    assert first == uids(ics(desk, NOW + timedelta(days=30))) == ["fagbrevseremoni-2027@partnerskapsboten",
                                                                    "yrkesmesse-2027@partnerskapsboten"]  # fmt: skip
    assert len(set(first)) == 2
    after_the_fair = uids(ics(desk, FAIR + timedelta(hours=1)))  # yearly: the next occurrence is 2028's
    assert (
        "yrkesmesse-2028@partnerskapsboten" in after_the_fair
        and "yrkesmesse-2027@partnerskapsboten" not in after_the_fair
    )


def test_alarms_follow_the_chats_subscriptions(agreement: Agreement, tmp_path: object) -> None:
    from bot.storage import open_database

    database = open_database(f"sqlite:///{tmp_path}/bot.sqlite3")
    fair, ceremony = load_milestones(agreement)
    desk = MilestoneDesk(agreement, (replace(fair, starts_at=FAIR), replace(ceremony, starts_at=CEREMONY)), database)
    database.subscribe(5, "yrkesmesse", parse_leads(["2t"]), NOW)
    database.subscribe(5, "*", parse_leads(["14d"]), NOW)
    result = desk.calendar(NOW, 5)
    assert isinstance(result, CalendarFile)
    events = {str(e["UID"]).split("-")[0]: e for e in icalendar.Calendar.from_ical(result.content).walk("VEVENT")}
    assert [a["TRIGGER"].dt for a in events["yrkesmesse"].walk("VALARM")] == [
        -timedelta(days=14, hours=4),
        -timedelta(hours=2),
    ]
    assert [a["TRIGGER"].dt for a in events["fagbrevseremoni"].walk("VALARM")] == [
        -timedelta(days=14, hours=9, minutes=30)
    ]
    assert "14 dager før, 2 timer før" in result.caption
    silent = desk.calendar(NOW, 6)  # a chat without subscriptions: no alarms, and it is told why
    assert isinstance(silent, CalendarFile) and b"VALARM" not in silent.content and "/abonner" in silent.caption
    database.close()


@settings(max_examples=300, deadline=None)
@given(
    day=st.dates(date(2026, 1, 1), date(2040, 12, 31)),
    minutes=st.integers(9 * 60, 24 * 60 - 1),  # from 09:00: the time of day a day lead subtracts has no night in it
    lead=st.sampled_from([Lead(1, "d"), Lead(14, "d"), Lead(30, "d"), Lead(2, "t"), Lead(30, "m"), Lead(48, "t")]),
)
def test_a_calendar_rings_when_the_bot_would_remind(day: date, minutes: int, lead: Lead) -> None:
    """A client applies a trigger's days on the wall clock and its hours exactly (RFC 5545 3.3.6)."""
    event_at = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=OSLO)
    before = -alarm_trigger(lead, event_at)
    assert before > timedelta(0)
    wall = datetime.combine(event_at.date() - timedelta(days=before.days), event_at.time(), tzinfo=OSLO)
    rings = (wall.astimezone(UTC) - timedelta(seconds=before.seconds)).astimezone(OSLO)
    assert rings == lead.reminder_time(event_at)


def test_without_a_date_it_says_so(agreement: Agreement) -> None:
    desk = MilestoneDesk(agreement, load_milestones(agreement), open_database("sqlite:///:memory:"))
    nothing = desk.calendar(NOW, None)
    assert isinstance(nothing, Reply) and "Ingen milepæler har dato" in nothing.html
    one = desk.calendar(NOW, None, "yrkesmesse")
    assert isinstance(one, Reply) and "<b>Regional yrkesmesse</b> har ingen dato" in one.html
    gone = desk.calendar(NOW, None, "borte")
    assert isinstance(gone, Reply) and "borte" in gone.html


def test_one_milestone_file_and_the_whole_calendar(desk: MilestoneDesk) -> None:
    one = desk.calendar(NOW, None, "fagbrevseremoni")
    assert isinstance(one, CalendarFile) and one.filename == "fagbrevseremoni-2027-06-03.ics"
    assert len(icalendar.Calendar.from_ical(one.content).walk("VEVENT")) == 1
    assert "torsdag 3. juni 2027 kl. 18.30" in one.caption
    event = milestone_event(desk.shipped[1], desk.agreement, CEREMONY, ())
    assert calendar_bytes([event], NOW).count(b"BEGIN:VEVENT") == 1
