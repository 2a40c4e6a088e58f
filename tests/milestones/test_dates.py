from __future__ import annotations

from datetime import datetime

import pytest

from bot.milestones.dates import (
    OSLO,
    DateError,
    Lead,
    format_datetime,
    next_yearly,
    parse_datetime,
    parse_lead_list,
    parse_leads,
)

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
    for bad in (["14"], ["3x"], ["0d"], ["400d"], ["snart"], ["527041m"], ["14d", "ogog"], ["1d", "og", "t"]):
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


@pytest.mark.parametrize(
    ("text", "problem"),
    [("28.03.2027 kl. 02.30", "finnes ikke i norsk tid"),  # summer time: 02.00 → 03.00
     ("28.03.2027 kl. 02.00", "finnes ikke i norsk tid"),
     ("31.10.2027 kl. 02.30", "finnes to ganger"),  # winter time: 03.00 → 02.00
     ("31.10.2027 kl. 02.00", "finnes to ganger")],
)  # fmt: skip
def test_a_time_daylight_saving_skips_or_repeats_is_refused(text: str, problem: str) -> None:
    with pytest.raises(DateError, match=problem):
        parse_datetime(text, NOW)


def test_times_next_to_the_daylight_saving_change_are_kept_as_typed() -> None:
    for text in ("28.03.2027 kl. 01.59", "28.03.2027 kl. 03.00", "31.10.2027 kl. 01.59", "31.10.2027 kl. 03.00"):
        assert format_datetime(parse_datetime(text, NOW)).endswith(text.split("kl. ")[1])


@pytest.mark.parametrize(
    ("words", "problem"),
    [("-1d", "negativ"), ("−2t", "negativ"), ("9999t", "mer enn ett år"), ("527041m", "mer enn ett år"),
     ("367d", "mer enn ett år"), ("5", "mangler enhet"), ("5x", "kjenner ikke enheten «x»"), ("0m", "null"),
     ("snart", "forstår ikke")],
)  # fmt: skip
def test_a_bad_lead_says_what_is_wrong_with_it(words: str, problem: str) -> None:
    with pytest.raises(DateError, match=problem):
        parse_leads(words.split())


def test_leads_separated_by_commas_and_the_year_bound_for_every_unit() -> None:
    assert parse_leads(["1d,", "2d"]) == parse_leads(["1d", "2d"]) == (Lead(2, "d"), Lead(1, "d"))
    assert set(parse_leads(["366d", "8784t", "527040m"])) == {Lead(366, "d"), Lead(8784, "t"), Lead(527040, "m")}
    assert parse_lead_list("9999t,14d") == (Lead(9999, "t"), Lead(14, "d"))  # stored before the bound: still read
