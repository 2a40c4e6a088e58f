"""The partnership's milestones: shipped in `knowledge/milestones.yaml`, changed by admins in the database.

The YAML is the default; a database row for the same id overrides it (a date set, a title changed, a removal),
and rows with new ids are milestones admins added.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

from bot import datafile
from bot.knowledge import KNOWLEDGE_DIR, Agreement
from bot.milestones.dates import OSLO

MILESTONES_FILE = KNOWLEDGE_DIR / "milestones.yaml"
MILESTONE_ID = re.compile(r"^[a-zæøå0-9][a-zæøå0-9-]{1,30}$")
RECURRENCES = ("yearly", "once")


@dataclass(frozen=True)
class Milestone:
    id: str
    title: str
    measure_id: str
    place: str | None = None
    recurrence: str = "yearly"
    starts_at: datetime | None = None  # the first (or only) occurrence, Oslo time; None = not set
    removed: bool = False
    aliases: tuple[str, ...] = ()  # what staff call it besides its id ("messa", "seremonien"); shipped only


def load_milestones(agreement: Agreement, path: Path = MILESTONES_FILE) -> tuple[Milestone, ...]:
    """The shipped milestones, validated like the agreement (file, line, field)."""
    root = datafile.load(path)
    milestones: list[Milestone] = []
    seen: set[str] = set()
    for node in root.required("milestones").items():
        id_node = node.required("id")
        milestone_id = id_node.text()
        if not MILESTONE_ID.match(milestone_id):
            raise id_node.fail(f"{milestone_id!r} is not a valid id (lower-case letters, digits, -)")
        if milestone_id in seen:
            raise id_node.fail(f"duplicate id {milestone_id!r}")
        seen.add(milestone_id)
        measure_node = node.required("measure")
        if agreement.measure(measure_node.text()) is None:
            raise measure_node.fail(f"measure {measure_node.text()!r} is not in the agreement")
        recurrence_node = node.required("recurrence")
        if recurrence_node.text() not in RECURRENCES:
            raise recurrence_node.fail(f"must be one of {', '.join(RECURRENCES)}")
        date_node = node.optional("date")
        starts_at = None
        if date_node is not None:
            try:
                starts_at = datetime.strptime(date_node.text(), "%Y-%m-%d %H:%M").replace(tzinfo=OSLO)
            except ValueError:
                raise date_node.fail("expected a date like 2027-10-14 09:00 (Europe/Oslo)") from None
        place = node.optional("place")
        aliases_node = node.optional("aliases")
        milestones.append(
            Milestone(
                id=milestone_id,
                title=node.required("title").text(),
                measure_id=measure_node.text(),
                place=place.text() if place else None,
                recurrence=recurrence_node.text(),
                starts_at=starts_at,
                aliases=tuple(alias.lower() for alias in aliases_node.texts()) if aliases_node else (),
            )
        )
    return tuple(milestones)


def merge(shipped: tuple[Milestone, ...], stored: list[Milestone]) -> list[Milestone]:
    """The milestones in force: stored rows override shipped ones by id (keeping the shipped aliases, which
    the database does not hold); removed ones drop out."""
    by_id = {milestone.id: milestone for milestone in shipped}
    for row in stored:
        known = by_id.get(row.id)
        by_id[row.id] = replace(row, aliases=known.aliases if known else row.aliases)
    return [milestone for milestone in by_id.values() if not milestone.removed]
