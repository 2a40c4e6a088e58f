"""Norwegian dates and times as staff write and read them, always in Europe/Oslo.

Parses "14.10.2027", "14.10.27", "2027-10-14", "14. oktober 2027", "14 okt 2027", with an optional time
"kl. 09.00", "09:00", "9"; formats "torsdag 14. oktober 2027 kl. 09.00". Lead times: "14d", "14 dager",
"2t", "2 timer", "30m", "30 min".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
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
    _check_daylight_saving(moment)
    if moment <= now:
        raise DateError(f"{format_datetime(moment)} har allerede vært. Velg et tidspunkt fram i tid.")
    return moment


def _check_daylight_saving(moment: datetime) -> None:
    """A wall time the change to summer time skips, or the change back repeats, is refused with the reason."""
    when = f"{format_date(moment)} kl. {moment.hour:02d}.{moment.minute:02d}".capitalize()
    if moment.astimezone(UTC).astimezone(OSLO).replace(tzinfo=None) != moment.replace(tzinfo=None):
        raise DateError(
            f"{when} finnes ikke i norsk tid: klokka stilles da fram fra 02.00 til 03.00 (sommertid). "
            "Velg et annet klokkeslett, for eksempel kl. 03.00."
        )
    if moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset():
        raise DateError(
            f"{when} finnes to ganger i norsk tid: klokka stilles da tilbake fra 03.00 til 02.00 (vintertid). "
            "Velg et klokkeslett før kl. 02.00 eller fra kl. 03.00."
        )


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
            f"Jeg forstår ikke datoen «{_echo(text)}». Skriv for eksempel 14.10.2027 kl. 09.00 eller 14. oktober 2027."
        )
    try:
        return date(*found)
    except ValueError:
        raise DateError(f"Datoen «{_echo(text)}» finnes ikke.") from None


def _year(text: str) -> int:
    return 2000 + int(text) if len(text) == 2 else int(text)


def _month(name: str) -> int:
    month = _MONTH_BY_PREFIX.get(name[:3])
    if month is None:
        raise DateError(f"«{_echo(name)}» er ikke en måned.")
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
MAX_LEAD_DAYS = 366  # a reminder goes out at most a year before, whatever the unit
_LEAD = re.compile(r"^(\d+)\s*(" + "|".join(sorted(_UNIT_BY_SPELLING, key=len, reverse=True)) + ")$")
_LEAD_EXAMPLE = "Skriv for eksempel 14d 1d, 2t eller 30m."


def looks_like_lead(word: str) -> bool:
    """A word meant as a lead time ("14d", "-1d", "2t,"), right or wrong, rather than a milestone's name."""
    return bool(re.match(r"^[-+−]?\d", word))


def parse_leads(words: list[str]) -> tuple[Lead, ...]:
    """ "14d 1d", "14d, 1d", "2 timer", "30m" → leads, longest first; `DateError` says what is wrong."""
    joined = " ".join(words).lower()
    leads = set()
    for token in re.split(r"\s*(?:,|\bog\b|\s(?=[-+−]?\d))\s*", joined.strip()):
        if token:
            leads.add(_parse_lead(token))
    if not leads:
        raise DateError(f"Jeg forstår ikke varslingstiden «{_echo(joined)}». {_LEAD_EXAMPLE}")
    return tuple(sorted(leads, key=lambda lead: -lead.minutes))


def _parse_lead(token: str, *, within_a_year: bool = True) -> Lead:
    shown = _echo(token)
    if token[:1] in "-−":
        raise DateError(f"Varslingstiden «{shown}» er negativ; den sier hvor lenge før milepælen varselet kommer.")
    match = _LEAD.match(token.lstrip("+"))
    if not match:
        unit = re.sub(r"^[+]?\d+\s*", "", token)
        if re.match(r"^[+]?\d+\s*$", token):
            raise DateError(f"Varslingstiden «{shown}» mangler enhet: d (dager), t (timer) eller m (minutter).")
        if re.match(r"^[+]?\d+\s*[a-zæøå]+$", token):
            raise DateError(
                f"Jeg kjenner ikke enheten «{_echo(unit)}» i «{shown}». Bruk d (dager), t (timer) eller m (minutter)."
            )
        raise DateError(f"Jeg forstår ikke varslingstiden «{shown}». {_LEAD_EXAMPLE}")
    amount = int(match.group(1))
    if amount == 0:
        raise DateError(f"Varslingstiden «{shown}» er null; velg minst 1m.")
    lead = Lead(amount, _UNIT_BY_SPELLING[match.group(2)])
    if within_a_year and lead.minutes > MAX_LEAD_DAYS * LEAD_UNITS["d"].minutes:
        raise DateError(
            f"Varslingstiden «{shown}» er mer enn ett år; varsel kan sendes høyst {MAX_LEAD_DAYS} dager før."
        )
    return lead


def _echo(text: str) -> str:
    """Input said back in an error, cut short (a message has room for 4,096 characters)."""
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:39] + "…"


def parse_lead_list(text: str) -> tuple[Lead, ...]:
    """The stored form ("14d,1d") back to leads; a lead stored before the one-year bound still reads."""
    if not text:
        return DEFAULT_LEADS
    leads = {_parse_lead(token.strip(), within_a_year=False) for token in text.split(",") if token.strip()}
    return tuple(sorted(leads, key=lambda lead: -lead.minutes))


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
