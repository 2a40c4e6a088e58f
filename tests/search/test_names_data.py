"""The names file: the shipped one against the agreement, and a broken one refused with file, line and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.datafile import DataFileError
from bot.knowledge import Agreement
from bot.search import SearchIndex, build_index
from bot.search.engine import documents_from_agreement
from bot.search.lexicon import NAMES_FILE, check_names, load_names


def agreement_texts(agreement: Agreement) -> list[str]:
    return [document.own for document in documents_from_agreement(agreement)]


def test_the_shipped_names_all_stand_in_the_agreement(agreement: Agreement) -> None:
    names = load_names(NAMES_FILE)
    assert len(names) >= 25
    check_names(names, agreement_texts(agreement))


def test_every_name_as_staff_say_it_finds_the_part_that_names_it(index: SearchIndex, agreement: Agreement) -> None:
    documents = documents_from_agreement(agreement)
    lost = []
    for entry in load_names(NAMES_FILE):
        naming = {d.id for d in documents if entry.name.lower() in " ".join(d.own.lower().split())}
        for said in entry.said:
            found = {hit.id for hit in index.search(said)[:3]}
            if not found & naming:
                lost.append((entry.line, said, sorted(naming), sorted(found)))
    assert not lost, lost


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "names.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_name_the_agreement_does_not_have_is_refused_at_its_line(tmp_path: Path, agreement: Agreement) -> None:
    path = write(
        tmp_path,
        "names:\n  - {name: NMBU, kind: abbreviation, said: [Ås]}\n  - name: Sykehuset Østfold\n    kind: organisation\n    said: [Kalnes]\n",
    )
    with pytest.raises(DataFileError) as error:
        check_names(load_names(path), agreement_texts(agreement))
    assert str(error.value).startswith(f"{path}:3: names[1].name: 'Sykehuset Østfold' does not stand")


def test_every_name_is_described_by_what_it_is() -> None:
    """A description says what a thing is ("travbanen i Mysen"); one that only repeats the name or a `said`
    adds nothing. Every name but a bare abbreviation nobody here can expand has one."""
    for entry in load_names(NAMES_FILE):
        assert entry.described or entry.kind == "abbreviation", (entry.line, entry.name)
        names = {entry.name.lower(), *(said.lower() for said in entry.said)}
        for description in entry.described:
            assert description.lower() not in names, (entry.line, description)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("names:\n  - {name: NMBU, kind: school, said: [Ås]}\n", ":2: names[0].kind:"),
        ("names:\n  - {name: NMBU, kind: abbreviation}\n", ":2: names[0]: missing field 'said'"),
        ("names:\n  - {name: NMBU, kind: abbreviation, said: [a b c d e f g]}\n", ":2: names[0].said[0]:"),
        (
            "names:\n  - name: NMBU\n    kind: abbreviation\n    said: [Ås]\n    described: [ok, a b c d e f g h i j k]\n",
            ":5: names[0].described[1]: more than 10 words",
        ),
        (
            "names:\n  - {name: NMBU, kind: place, said: [x]}\n  - {name: nmbu, kind: place, said: [y]}\n",
            ":3: names[1].name:",
        ),
    ],
)
def test_a_broken_entry_names_file_line_and_field(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        load_names(write(tmp_path, text))


def test_a_rare_word_only_a_description_has_leads_to_the_part_naming_it(agreement: Agreement) -> None:
    """Lexically, without the model: "militærleiren" describes Brennemoen (1.6); "gamle", in the same
    description, is too common to mean it."""
    lexical = build_index(agreement, semantic=False)
    assert "1.6" in [hit.id for hit in lexical.search("militærleiren")[:3]]
    assert "1.6" not in [hit.id for hit in lexical.search("gamle")]
    found = lexical.evidence("militærleiren")
    assert found is not None and found.missing_rare == 0.0
    # A word found otherwise keeps its meaning ("gymnaset" is a form of the synonym "gymnas"), and a place's
    # description does not make its words say where.
    school = lexical.evidence("gymnaset")
    assert school is not None and school.context == 0.0 and school.subject_found
