"""/statistikk: what people asked in a period, from the anonymous question log (never who asked).

A report is a pure function of the log's rows for the period; the page buttons carry the period as dates, so a
button pressed after a restart shows the same period.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from bot import callbacks, texts
from bot.knowledge import Agreement, Area, Measure
from bot.milestones.dates import MONTHS, OSLO
from bot.render import Button, Reply, cut, escape, fit
from bot.storage import Database, QuestionStat

DEFAULT_DAYS = 30
MAX_DAYS = 3660
FIRST_YEAR = 2020
YEARS_FROM = 1900  # a four-digit number from here is a year ("2026"), below a number of days ("1000")
PAGE_SIZE = 10  # unanswered questions a page
TOP_SUBJECTS = 5
QUESTION_TEXT_LIMIT = 150


class PeriodError(ValueError):
    """A period that cannot be understood; the message is Norwegian, for the chat."""


@dataclass(frozen=True)
class Period:
    kind: str  # "d": the last days up to today, "y": a calendar year, "w": the week before a Monday
    start: date
    end: date  # exclusive

    @property
    def start_at(self) -> datetime:
        return datetime.combine(self.start, time(0), tzinfo=OSLO)

    @property
    def end_at(self) -> datetime:
        return datetime.combine(self.end, time(0), tzinfo=OSLO)

    def header(self) -> str:
        days = (self.end - self.start).days
        if self.kind == "y":
            return texts.STATS_HEADER_YEAR.format(year=self.start.year)
        if self.kind == "w":
            return texts.STATS_HEADER_WEEK.format(week=self.start.isocalendar().week)
        return texts.STATS_HEADER_DAY if days == 1 else texts.STATS_HEADER_DAYS.format(days=days)

    def range_text(self) -> str:
        last = self.end - timedelta(days=1)
        first = f"{self.start.day}. {MONTHS[self.start.month - 1]}"
        if self.start.year != last.year:
            first += f" {self.start.year}"
        return texts.STATS_RANGE.format(start=first, end=f"{last.day}. {MONTHS[last.month - 1]} {last.year}")

    def data(self, page: int) -> str:
        return callbacks.statistics(self.kind, self.start, self.end, page)


def parse_period(args: str, now: datetime) -> Period:
    """ "" (the last 30 days), "7" (the last 7 days), "2026" (that year); `PeriodError` explains anything else."""
    text = args.strip().lower()
    today = now.astimezone(OSLO).date()
    if not text:
        return last_days(DEFAULT_DAYS, today)
    if re.fullmatch(r"\d{4}", text) and int(text) >= YEARS_FROM:
        year = int(text)
        if year > today.year:
            raise PeriodError(texts.STATS_FUTURE_YEAR.format(year=year))
        if year < FIRST_YEAR:
            raise PeriodError(texts.STATS_OLD_YEAR.format(year=year))
        return Period("y", date(year, 1, 1), date(year + 1, 1, 1))
    if re.fullmatch(r"\d+", text):  # however many: the reply says the range
        days = int(text)
        if not 1 <= days <= MAX_DAYS:
            raise PeriodError(texts.STATS_BAD_DAYS.format(most=MAX_DAYS))
        return last_days(days, today)
    raise PeriodError(texts.STATS_BAD_PERIOD.format(text=escape(cut(args.strip(), 40)[0])))


def last_days(days: int, today: date) -> Period:
    return Period("d", today - timedelta(days=days - 1), today + timedelta(days=1))


def week_before(monday: date) -> Period:
    return Period("w", monday - timedelta(days=7), monday)


def period_from_data(data: str) -> tuple[Period, int] | None:
    """A page button's data back to its period and page; None if it is not one of ours."""
    action = callbacks.parse(data)
    if not isinstance(action, callbacks.StatisticsPage):
        return None
    return Period(action.kind, action.start, action.end), action.page


def group_unanswered(rows: list[QuestionStat]) -> list[QuestionStat]:
    """The same question typed again (in other case or spacing) counts again but is shown once, as most often
    typed; the most frequent first."""
    counts: dict[str, int] = {}
    variants: dict[str, dict[str, int]] = {}
    for row in rows:
        key = " ".join(row.label.casefold().split())
        counts[key] = counts.get(key, 0) + row.count
        variants.setdefault(key, {})[row.label] = row.count
    grouped = [
        QuestionStat(min(variants[key], key=lambda typed: (-variants[key][typed], typed)), count)
        for key, count in counts.items()
    ]
    return sorted(grouped, key=lambda stat: (-stat.count, stat.label.casefold()))


def subject_label(agreement: Agreement, item_id: str) -> str:
    item = agreement.find(item_id)
    if isinstance(item, Measure):
        return f"Tiltak {escape(item.id)}: {escape(cut(item.text, 70)[0])}"
    if isinstance(item, Area):
        return f"Innsatsområde {escape(item.id)}: {escape(item.title)}"
    return escape(item.title) if item is not None else escape(item_id)


def report(agreement: Agreement, database: Database, period: Period, page: int = 0, footer: str = "") -> Reply:
    """The statistics of a period, with one page of the unanswered questions and buttons to page."""
    lines = [period.header(), period.range_text()]
    total, answered = database.question_count_between(period.start_at, period.end_at)
    if total == 0:
        lines += ["", texts.STATS_NONE]
        return Reply("\n".join(lines + ([footer] if footer else [])))
    share = round(100 * answered / total)
    lines.append(texts.STATS_TOTALS.format(total=total, answered=answered, share=share))
    top = database.top_subjects_between(period.start_at, period.end_at, TOP_SUBJECTS)
    if top:
        lines += ["", texts.STATS_TOP_HEADER]
        lines += [
            texts.STATS_TOP_LINE.format(label=subject_label(agreement, row.label), count=row.count) for row in top
        ]
    unanswered = group_unanswered(database.unanswered_between(period.start_at, period.end_at))
    buttons: list[Button] = []
    lines.append("")
    if not unanswered:
        lines.append(texts.STATS_UNANSWERED_NONE)
    else:
        pages = math.ceil(len(unanswered) / PAGE_SIZE)
        page = min(max(page, 0), pages - 1)
        lines.append(
            texts.STATS_UNANSWERED_HEADER.format(
                groups=len(unanswered),
                different=texts.DIFFERENT[len(unanswered) == 1],
                total=sum(row.count for row in unanswered),
                page=page + 1,
                pages=pages,
            )
        )
        for row in unanswered[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]:
            text = escape(cut(" ".join(row.label.split()), QUESTION_TEXT_LIMIT)[0])
            lines.append(texts.STATS_UNANSWERED_LINE.format(count=row.count, text=text))
        lines.append(texts.STATS_TEACH_HINT)
        if page > 0:
            buttons.append(Button(texts.BUTTON_PREVIOUS, period.data(page - 1)))
        if page < pages - 1:
            buttons.append(Button(texts.BUTTON_NEXT, period.data(page + 1)))
    if footer:
        lines.append(footer)
    return Reply(fit(lines), (tuple(buttons),) if buttons else ())
