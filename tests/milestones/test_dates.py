from __future__ import annotations

from datetime import datetime

import pytest

from bot.milestones.dates import OSLO, DateError, Lead, format_datetime, next_yearly, parse_datetime, parse_leads

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=OSLO)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("14.10.2027", "2027-10-14 09:00"), ("14.10.27 kl. 10.30", "2027-10-14 10:30"),
     ("2027-10-14", "2027-10-14 09:00"), ("2027-10-14 18:15", "2027-10-14 18:15"),
     ("14. oktober 2027 kl. 09.00", "2027-10-14 09:00"), ("14 okt 2027 kl 8", "2027-10-14 08:00"),
     ("1. mars 2027", "2027-03-01 09:00")],
)  # fmt: skip
def test_norwegian_date_forms(text: str, expected: str) -> None:
    assert parse_datetime(text, NOW).strftime("%Y-%m-%d %H:%M") == expected
    assert parse_datetime(text, NOW).tzinfo == OSLO


@pytest.mark.parametrize(
    ("text", "problem"),
    [("31.02.2027", "finnes ikke"), ("1.1.2020", "allerede vært"), ("i morgen", "forstår ikke datoen"),
     ("14.10.2027 kl. 25.00", "Klokkeslettet"), ("14. smurf 2027", "ikke en måned")],
)  # fmt: skip
def test_bad_or_past_dates_are_explained_in_norwegian(text: str, problem: str) -> None:
    with pytest.raises(DateError, match=problem):
        parse_datetime(text, NOW)


def test_format() -> None:
    assert format_datetime(datetime(2027, 10, 14, 9, 0, tzinfo=OSLO)) == "torsdag 14. oktober 2027 kl. 09.00"


def test_leads() -> None:
    assert parse_leads(["14d", "1d", "2t", "30m"]) == (Lead(14, "d"), Lead(1, "d"), Lead(2, "t"), Lead(30, "m"))
    assert parse_leads(["2", "timer", "og", "30", "min"]) == (Lead(2, "t"), Lead(30, "m"))
    assert Lead(1, "d").describe() == "1 dag før" and Lead(30, "m").describe() == "30 minutter før"
    assert parse_leads(["14d,", "7d", "og", "1d"]) == (Lead(14, "d"), Lead(7, "d"), Lead(1, "d"))
    for bad in (["14"], ["3x"], ["0d"], ["400d"], ["snart"], ["12345m"], ["14d", "ogog"], ["1d", "og", "t"]):
        with pytest.raises(DateError):
            parse_leads(bad)


def test_day_leads_go_out_at_nine_and_daylight_saving_does_not_move_them() -> None:
    event = datetime(2027, 3, 29, 12, 0, tzinfo=OSLO)  # summer time began 28 March 2027
    assert Lead(1, "d").reminder_time(event).isoformat() == "2027-03-28T09:00:00+02:00"
    assert Lead(14, "d").reminder_time(event).isoformat() == "2027-03-15T09:00:00+01:00"
    autumn = datetime(2027, 11, 1, 9, 0, tzinfo=OSLO)  # winter time began 31 October 2027
    assert Lead(2, "d").reminder_time(autumn).isoformat() == "2027-10-30T09:00:00+02:00"
    assert Lead(2, "t").reminder_time(autumn).isoformat() == "2027-11-01T07:00:00+01:00"


def test_yearly_repetition_keeps_the_wall_time() -> None:
    summer = datetime(2027, 6, 10, 9, 0, tzinfo=OSLO)
    assert next_yearly(summer, datetime(2027, 6, 10, 9, 0, tzinfo=OSLO)).isoformat() == "2028-06-10T09:00:00+02:00"
    winter = datetime(2027, 1, 10, 9, 0, tzinfo=OSLO)
    assert next_yearly(winter, NOW).isoformat() == "2027-01-10T09:00:00+01:00"
    leap = datetime(2028, 2, 29, 9, 0, tzinfo=OSLO)
    assert next_yearly(leap, leap).date().isoformat() == "2029-02-28"
