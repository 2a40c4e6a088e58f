r"""Button data (Telegram's `callback_data`): a stored protocol, built and read only here.

A pressed button brings back its data and nothing else, possibly months later and after any number of
restarts and upgrades, so these formats never change (old messages' buttons must keep working):

| data | the button shows |
|---|---|
| `c` | the contents |
| `m:<measure id>` | a measure, e.g. `m:3.2` |
| `a:<area id>` | an area, e.g. `a:3` |
| `q:<offset>:<query>` | more hits for a question, from `offset`: `q:3:samarbeid` |
| `h:<id>,<id>,…` | more hits by id, when the question does not fit |
| `k:<milestone id>` | sends that milestone's next occurrence as an .ics file ("Legg i kalender") |
| `st:<d\|y\|w>:<yyyymmdd>:<yyyymmdd>:<page>` | a page of `/statistikk` for that period (end exclusive) |

Telegram takes 1–64 bytes of data (UTF-8).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

MAX_BYTES = 64


class CallbackDataError(ValueError):
    """Data Telegram would refuse (empty, or over 64 bytes): a bug in the bot, never the user's doing."""


@dataclass(frozen=True)
class Contents:
    pass


@dataclass(frozen=True)
class ShowMeasure:
    measure_id: str


@dataclass(frozen=True)
class ShowArea:
    area_id: str


@dataclass(frozen=True)
class MoreForQuery:
    offset: int
    query: str


@dataclass(frozen=True)
class MoreByIds:
    ids: tuple[str, ...]


@dataclass(frozen=True)
class AddToCalendar:
    milestone_id: str


@dataclass(frozen=True)
class StatisticsPage:
    kind: str  # "d": the last days, "y": a calendar year, "w": the week before a Monday
    start: date
    end: date  # exclusive
    page: int


Action = Contents | ShowMeasure | ShowArea | MoreForQuery | MoreByIds | AddToCalendar | StatisticsPage
_STATISTICS = re.compile(r"^([dyw]):(\d{8}):(\d{8}):(\d{1,4})$")


def fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= MAX_BYTES


def check(data: str) -> str:
    """The data as it is, or `CallbackDataError` if Telegram would refuse it."""
    if not fits(data):
        raise CallbackDataError(f"callback data must be 1–{MAX_BYTES} bytes: {data!r}")
    return data


def contents() -> str:
    return "c"


def measure(measure_id: str) -> str:
    return check(f"m:{measure_id}")


def area(area_id: str) -> str:
    return check(f"a:{area_id}")


def page(query: str, offset: int) -> str | None:
    """The hits for `query` from `offset`; None if that does not fit."""
    data = f"q:{offset}:{query}"
    return data if fits(data) else None


def more(query: str | None, offset: int, ids: Iterable[str]) -> str:
    """The next page of hits: by the query and offset if they fit, else by as many of the `ids` as fit."""
    by_query = page(query, offset) if query else None
    if by_query:
        return by_query
    data = "h:"
    for item_id in ids:
        candidate = data + ("," if data != "h:" else "") + item_id
        if not fits(candidate):
            break
        data = candidate
    return check(data)


def calendar(milestone_id: str) -> str:
    return check(f"k:{milestone_id}")


def statistics(kind: str, start: date, end: date, page: int) -> str:
    return check(f"st:{kind}:{start:%Y%m%d}:{end:%Y%m%d}:{page}")


def _statistics_page(rest: str) -> StatisticsPage | None:
    match = _STATISTICS.match(rest)
    if not match:
        return None
    try:
        start = datetime.strptime(match.group(2), "%Y%m%d").date()
        end = datetime.strptime(match.group(3), "%Y%m%d").date()
    except ValueError:
        return None
    return StatisticsPage(match.group(1), start, end, int(match.group(4))) if start < end else None


def parse(data: str) -> Action | None:
    """What a pressed button asks for; None for data this bot never made (or made by a bug)."""
    kind, _, rest = data.partition(":")
    if kind == "c":
        return Contents()
    if kind == "m" and rest:
        return ShowMeasure(rest)
    if kind == "a" and rest:
        return ShowArea(rest)
    if kind == "q":
        offset, _, query = rest.partition(":")
        if offset.isdigit() and query:
            return MoreForQuery(int(offset), query)
    if kind == "h" and rest:
        return MoreByIds(tuple(rest.split(",")))
    if kind == "k" and rest:
        return AddToCalendar(rest)
    if kind == "st":
        return _statistics_page(rest)
    return None
