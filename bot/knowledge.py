"""The agreement as data: sections, areas and measures, loaded and validated from `knowledge/agreement.yaml`.

Everything the bot says about the agreement comes from here, so the loader refuses anything doubtful
(a duplicate id, a missing text, a parent that does not exist) instead of loading half of it.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot import datafile

# BOT_KNOWLEDGE_DIR lets an operator (or a test) try edited data files without touching the shipped ones.
KNOWLEDGE_DIR = Path(os.environ.get("BOT_KNOWLEDGE_DIR") or Path(__file__).resolve().parent.parent / "knowledge")
AGREEMENT_FILE = KNOWLEDGE_DIR / "agreement.yaml"

MEASURE_ID = re.compile(r"^[1-9]\d*(\.[1-9]\d*){1,2}(\.[A-Z])?$")
AREA_ID = re.compile(r"^[1-9]\d*$")
SECTION_ID = re.compile(r"^[a-z][a-z0-9-]*$")


def canonical_measure_id(raw: str) -> str:
    """A measure number as people type it, as the agreement numbers it: "2.1a", "2.1 A", "2.1.a" → "2.1.A"."""
    match = re.match(r"^(\d{1,2}(?:\.\d{1,2}){1,2})\.?\s?([a-bA-B])$", raw.strip())
    return f"{match.group(1)}.{match.group(2).upper()}" if match else raw.strip()


@dataclass(frozen=True)
class Party:
    short: str
    name: str


@dataclass(frozen=True)
class Section:
    """A part of the opening text (innledning, likeverdige-parter, ambisjon)."""

    id: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Measure:
    id: str
    area_id: str
    text: str
    parent_id: str | None = None
    group: str | None = None


@dataclass(frozen=True)
class Area:
    id: str
    title: str
    hashtag: str
    sdg_number: int | None
    sdg_title: str | None
    intro: str | None
    measures: tuple[Measure, ...]


@dataclass(frozen=True)
class Agreement:
    title: str
    period: str
    parties: tuple[Party, ...]
    sections: tuple[Section, ...]
    areas: tuple[Area, ...]
    source: str
    _by_id: dict[str, Section | Area | Measure] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            self._by_id[section.id] = section
        for area in self.areas:
            self._by_id[area.id] = area
            for measure in area.measures:
                self._by_id[measure.id] = measure

    @property
    def measures(self) -> tuple[Measure, ...]:
        return tuple(measure for area in self.areas for measure in area.measures)

    def find(self, item_id: str) -> Section | Area | Measure | None:
        return self._by_id.get(item_id)

    def area(self, area_id: str) -> Area:
        found = self._by_id[area_id]
        assert isinstance(found, Area)
        return found

    def measure(self, measure_id: str) -> Measure | None:
        found = self._by_id.get(measure_id)
        return found if isinstance(found, Measure) else None

    def children(self, measure_id: str) -> tuple[Measure, ...]:
        return tuple(m for m in self.measures if m.parent_id == measure_id)


def load_agreement(path: Path = AGREEMENT_FILE) -> Agreement:
    """Load and validate the agreement; raises `datafile.DataFileError` naming file, line and field."""
    root = datafile.load(path)
    seen: dict[str, int] = {}

    def claim(node: datafile.Node, pattern: re.Pattern[str], kind: str) -> str:
        item_id = node.text()
        if not pattern.match(item_id):
            raise node.fail(f"{item_id!r} is not a valid {kind} id")
        if item_id in seen:
            raise node.fail(f"duplicate id {item_id!r} (first on line {seen[item_id]})")
        seen[item_id] = node.line
        return item_id

    parties = tuple(
        Party(p.required("short").text(), p.required("name").text()) for p in root.required("parties").items()
    )
    sections = tuple(
        Section(
            id=claim(node.required("id"), SECTION_ID, "section"),
            title=node.required("title").text(),
            paragraphs=tuple(node.required("paragraphs").texts()),
        )
        for node in root.required("sections").items()
    )
    areas = []
    for area_node in root.required("areas").items():
        area_id = claim(area_node.required("id"), AREA_ID, "area")
        measures: list[Measure] = []
        for measure_node in area_node.required("measures").items():
            id_node = measure_node.required("id")
            measure_id = claim(id_node, MEASURE_ID, "measure")
            if measure_id.split(".")[0] != area_id:
                raise id_node.fail(f"measure {measure_id} does not belong to area {area_id}")
            parent_node = measure_node.optional("parent")
            parent_id = parent_node.text() if parent_node else None
            if parent_node and parent_id not in {m.id for m in measures}:
                raise parent_node.fail(f"parent {parent_id!r} is not a measure listed before it in this area")
            group_node = measure_node.optional("group")
            measures.append(
                Measure(
                    id=measure_id,
                    area_id=area_id,
                    text=measure_node.required("text").text(),
                    parent_id=parent_id,
                    group=group_node.text() if group_node else None,
                )
            )
        if not measures:
            raise area_node.required("measures").fail("an area needs at least one measure")
        sdg = area_node.optional("sdg")
        intro = area_node.optional("intro")
        hashtag_node = area_node.required("hashtag")
        hashtag = hashtag_node.text()
        if not hashtag.startswith("#"):
            raise hashtag_node.fail("a hashtag starts with #")
        areas.append(
            Area(
                id=area_id,
                title=area_node.required("title").text(),
                hashtag=hashtag,
                sdg_number=sdg.required("number").integer() if sdg else None,
                sdg_title=sdg.required("title").text() if sdg else None,
                intro=intro.text() if intro else None,
                measures=tuple(measures),
            )
        )
    if not areas:
        raise root.required("areas").fail("the agreement needs at least one area")
    return Agreement(
        title=root.required("title").text(),
        period=root.required("period").text(),
        parties=parties,
        sections=sections,
        areas=tuple(areas),
        source=root.required("source").text(),
    )
