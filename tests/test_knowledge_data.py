"""The shipped agreement file against its source text: nothing lost, nothing invented."""

from __future__ import annotations

import re

from bot.knowledge import KNOWLEDGE_DIR, Agreement

SOURCE = KNOWLEDGE_DIR / "partnerskapsavtale-spesiell-del-2022-2023.txt"
NUMBERING = re.compile(r"^(?:\d+(?:\.\d+)*|[AB])\s*[-–]?\s*")


def squash(text: str) -> str:
    return " ".join(text.split())


def structured_texts(agreement: Agreement) -> list[str]:
    found = [agreement.title]
    for section in agreement.sections:
        found += [section.title, *section.paragraphs]
    for area in agreement.areas:
        found += [area.title, area.hashtag]
        found += [t for t in (area.intro, area.sdg_title) if t]
        for measure in area.measures:
            found.append(measure.text)
            if measure.group:
                found.append(measure.group)
    return found


def test_the_project_copy_is_the_shared_text_byte_for_byte() -> None:
    shared = KNOWLEDGE_DIR.parent.parent / "shared" / "agreement" / SOURCE.name
    if shared.exists():  # beside a checkout; the suite itself never needs ../shared
        assert SOURCE.read_bytes() == shared.read_bytes()


def test_every_line_of_the_source_is_in_the_structured_file(agreement: Agreement) -> None:
    everything = squash(" ".join(structured_texts(agreement)))
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        content = squash(NUMBERING.sub("", line.strip()))
        if content:
            assert content in everything, f"lost from knowledge/agreement.yaml: {line!r}"


def test_every_text_of_the_structured_file_is_in_the_source(agreement: Agreement) -> None:
    source = squash(SOURCE.read_text(encoding="utf-8"))
    for text in structured_texts(agreement):
        assert squash(text) in source, f"not in the agreement: {text!r}"


def test_all_ids_as_numbered_in_the_agreement(agreement: Agreement) -> None:
    assert [m.id for m in agreement.measures] == [
        *(f"1.{n}" for n in range(1, 9)),
        "2.1", "2.1.A", "2.1.B", "2.2", "2.3", "2.3.1", "2.3.2", "2.3.3", "2.3.4", "2.4",
        "3.1", "3.1.1", "3.1.2", *(f"3.{n}" for n in range(2, 9)),
    ]  # fmt: skip
    assert [s.id for s in agreement.sections] == ["innledning", "likeverdige-parter", "ambisjon"]


def test_areas_hashtags_and_goals(agreement: Agreement) -> None:
    summary = [(a.id, a.hashtag, a.sdg_number) for a in agreement.areas]
    assert summary == [
        ("1", "#kompetanseløft", None),
        ("2", "#arbeidsplassvekst", 9),
        ("3", "#lavereklimautslipp", 11),
    ]


def test_area_3_groups_and_parents(agreement: Agreement) -> None:
    groups = {m.id: m.group for m in agreement.area("3").measures}
    assert groups["3.1.2"] == "KUNNSKAPSGRUNNLAG" and groups["3.2"] == "SAMFERDSEL OG MOBILITET"
    assert [m.id for m in agreement.children("2.3")] == ["2.3.1", "2.3.2", "2.3.3", "2.3.4"]
    assert agreement.measure("2.1.B") is not None and agreement.measure("2.1.B").parent_id == "2.1"  # type: ignore[union-attr]


def test_parties(agreement: Agreement) -> None:
    assert [(p.short, p.name) for p in agreement.parties] == [
        ("IØR", "Indre Østfold regionråd"),
        ("Viken", "Viken fylkeskommune"),
    ]
