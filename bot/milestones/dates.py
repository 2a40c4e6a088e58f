"""Norwegian dates and times as staff write and read them, always in Europe/Oslo.

Parses "14.10.2027", "14.10.27", "2027-10-14", "14. oktober 2027", "14 okt 2027", with an optional time
"kl. 09.00", "09:00", "9"; formats "torsdag 14. oktober 2027 kl. 09.00". Lead times: "14d", "14 dager",
"2t", "2 timer", "30m", "30 min".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

OSLO = ZoneInfo("Europe/Oslo")
DEFAULT_TIME = time(9, 0)  # a date without a time means 09:00, and the day-leads are sent then too

MONTHS = ("januar", "februar", "mars", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "desember")  # fmt: skip
WEEKDAYS = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")
_MONTH_BY_PREFIX = {name[:3]: number for number, name in enumerate(MONTHS, 1)}


class DateError(ValueError):
    """A date or lead time that cannot be understood; the message is Norwegian, for the chat."""


def parse_datetime(text: str, now: datetime) -> datetime:
    """A future date and time in Oslo from Norwegian writing; `DateError` explains what is wrong."""
    cleaned = " ".join(text.lower().replace(",", " ").split())
    time_part = DEFAULT_TIME
    time_match = re.search(r"(?:\bkl\.?\s*|\s)(\d{1,2})(?:[:.](\d{2}))?\s*$", cleaned)
    date_text = cleaned
    if time_match and ("kl" in time_match.group(0) or time_match.group(2)):
        hour, minute = int(time_match.group(1)), int(time_match.group(2) or 0)
        if hour > 23 or minute > 59:
            raise DateError(f"Klokkeslettet {time_match.group(0).strip()} finnes ikke. Skriv for eksempel kl. 09.00.")
        time_part = time(hour, minute)
        date_text = cleaned[: time_match.start()].strip()
    day = _parse_date(date_text)
    moment = datetime.combine(day, time_part, tzinfo=OSLO)
    if moment <= now:
        raise DateError(f"{format_datetime(moment)} har allerede vært. Velg et tidspunkt fram i tid.")
    return moment


def _parse_date(text: str) -> date:
    iso = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
    numeric = re.match(r"^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})$", text)
    written = re.match(r"^(\d{1,2})\.?\s*([a-zæøå]{3,})\.?\s+(\d{4})$", text)
    found: tuple[int, int, int] | None = None
    if iso:
        found = (int(iso[1]), int(iso[2]), int(iso[3]))
    elif numeric:
        found = (_year(numeric[3]), int(numeric[2]), int(numeric[1]))
    elif written:
        found = (int(written[3]), _month(written[2]), int(written[1]))
    if found is None:
        raise DateError(
            f"Jeg forstår ikke datoen «{text}». Skriv for eksempel 14.10.2027 kl. 09.00 eller 14. oktober 2027."
        )
    try:
        return date(*found)
    except ValueError:
        raise DateError(f"Datoen «{text}» finnes ikke.") from None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(name: str) -> int:
    month = _MONTH_BY_PREFIX.get(name[:3])
    if month is None:
        raise DateError(f"«{name}» er ikke en måned.")
    return month


def format_date(moment: datetime | date) -> str:
    """ "torsdag 14. oktober 2027" """
    return f"{WEEKDAYS[moment.weekday()]} {moment.day}. {MONTHS[moment.month - 1]} {moment.year}"


def format_datetime(moment: datetime) -> str:
    """ "torsdag 14. oktober 2027 kl. 09.00", in Oslo time."""
    local = moment.astimezone(OSLO)
    return f"{format_date(local)} kl. {local.hour:02d}.{local.minute:02d}"


@dataclass(frozen=True)
class LeadUnit:
    minutes: int
    one: str  # "1 dag før"
    many: str  # "14 dager før"
    spellings: tuple[str, ...]  # what staff type after the number


# The units of a lead time, by the code stored in subscriptions ("14d,2t,30m").
LEAD_UNITS = {
    "d": LeadUnit(24 * 60, "dag", "dager", ("d", "dag", "dager", "døgn")),
    "t": LeadUnit(60, "time", "timer", ("t", "h", "time", "timer")),
    "m": LeadUnit(1, "minutt", "minutter", ("m", "min", "minutt", "minutter")),
}
_UNIT_BY_SPELLING = {spelling: code for code, unit in LEAD_UNITS.items() for spelling in unit.spellings}


@dataclass(frozen=True, order=True)
class Lead:
    """How long before an event a reminder goes out. Day leads go out at 09:00 Oslo time that day;
    hour and minute leads at exactly that offset."""

    amount: int
    unit: str  # a key of LEAD_UNITS

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"

    @property
    def minutes(self) -> int:
        return self.amount * LEAD_UNITS[self.unit].minutes

    def describe(self) -> str:
        unit = LEAD_UNITS[self.unit]
        return f"{self.amount} {unit.one if self.amount == 1 else unit.many} før"

    def reminder_time(self, event: datetime) -> datetime:
        if self.unit == "d":
            day = event.astimezone(OSLO).date() - timedelta(days=self.amount)
            return datetime.combine(day, DEFAULT_TIME, tzinfo=OSLO)
        return event - timedelta(minutes=self.minutes)


DEFAULT_LEADS = (Lead(14, "d"), Lead(1, "d"))
_LEAD = re.compile(r"\d+\s*[a-zæøå]+")


def parse_leads(words: list[str]) -> tuple[Lead, ...]:
    """ "14d 1d", "2 timer og 30 min", "30m" → leads, longest first; `DateError` for anything else."""
    joined = " ".join(words).lower()
    tokens = _LEAD.findall(joined)
    leftover = [word for word in _LEAD.sub(" ", joined).replace(",", " ").split() if word != "og"]
    if leftover or not tokens:
        raise DateError(f"Jeg forstår ikke varslingstiden «{joined}». Skriv for eksempel 14d 1d, 2t eller 30m.")
    leads = set()
    for token in tokens:
        match = re.fullmatch(r"(\d{1,4})\s*([a-zæøå]+)", token)
        unit = _UNIT_BY_SPELLING.get(match.group(2)) if match else None
        if not match or unit is None or int(match.group(1)) == 0:
            raise DateError(f"Jeg forstår ikke varslingstiden «{token}». Skriv for eksempel 14d, 2t eller 30m.")
        lead = Lead(int(match.group(1)), unit)
        if lead.unit == "d" and lead.amount > 366:
            raise DateError("Varsel kan sendes høyst ett år før.")
        leads.add(lead)
    return tuple(sorted(leads, key=lambda lead: -lead.minutes))


def parse_lead_list(text: str) -> tuple[Lead, ...]:
    """The stored form ("14d,1d") back to leads."""
    return parse_leads(text.split(",")) if text else DEFAULT_LEADS


def next_yearly(moment: datetime, after: datetime) -> datetime:
    """The first yearly repetition of `moment` (same Oslo wall time) that is after `after`; 29 February
    becomes 28 February in other years. Daylight saving never moves 09:00."""
    local = moment.astimezone(OSLO)
    year = local.year
    while True:
        try:
            candidate = local.replace(year=year)
        except ValueError:
            candidate = local.replace(year=year, day=28)
        candidate = datetime.combine(candidate.date(), candidate.timetz().replace(tzinfo=None), tzinfo=OSLO)
        if candidate > after:
            return candidate
        year += 1
