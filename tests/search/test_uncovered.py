"""Subjects the agreement does not cover (knowledge/uncovered.yaml): the shipped file against the agreement, a
broken one refused with file, line and field, and what the search does with them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.datafile import DataFileError
from bot.knowledge import Agreement
from bot.search import SearchIndex, build_index
from bot.search.analysis import term_key, tokenize
from bot.search.engine import documents_from_agreement
from bot.search.lexicon import UNCOVERED_FILE, load_lexicon, load_uncovered


def agreement_keys(agreement: Agreement) -> set[str]:
    """Every word of the agreement (own text and context) as a term key, but its filler words, which no question
    searches for ("være" in the agreement does not make "været" one of its subjects)."""
    stopwords = load_lexicon().stopwords
    return {
        term_key(token.surface)
        for document in documents_from_agreement(agreement)
        for token in tokenize(f"{document.own}\n{document.context}")
        if token.surface not in stopwords
    }


def test_the_shipped_subjects_are_well_formed_and_none_stands_in_the_agreement(agreement: Agreement) -> None:
    uncovered = load_uncovered(UNCOVERED_FILE)
    assert len({entry.subject for entry in uncovered.subjects}) >= 10
    assert uncovered.context
    keys = agreement_keys(agreement)
    lexicon = load_lexicon()
    synonym_words = {term_key(word) for group in lexicon.synonyms for word in group.words if " " not in word}
    standing = [
        (entry.line, entry.field, entry.word)
        for entry in uncovered.subjects
        if " " not in entry.word and (term_key(entry.word) in keys or term_key(entry.word) in synonym_words)
    ]
    assert not standing, standing


def test_the_index_knows_none_of_the_subjects(index: SearchIndex) -> None:
    """Stronger than the whole words above: not as a compound part nor as a synonym either."""
    assert not [
        entry.word for entry in load_uncovered().subjects if " " not in entry.word and index.has_term(entry.word)
    ]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "uncovered.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("subjects:\n  - {subject: helse, words: [sykehus]}\n  - {words: [kino]}\n", ":3: subjects[1]: missing field 'subject'"),
        ("subjects:\n  - subject: helse\n", ":2: subjects[0]: missing field 'words'"),
        ("subjects:\n  - {subject: helse, words: [sykehus, a b c d]}\n", ":2: subjects[0].words[1]: more than 3"),
        ("subjects:\n  - {subject: helse, words: [sykehus]}\n  - {subject: x, words: [Sykehus]}\n", ":3: subjects[1].words[0]: 'Sykehus' is listed twice"),
        ("subjects: []\n", ":1: subjects: at least one"),
        ("subjects:\n  - {subject: helse, words: [sykehus]}\ncontext: {a: b}\n", ":3: context: expected"),
    ],
)  # fmt: skip
def test_a_broken_entry_names_file_line_and_field(tmp_path: Path, text: str, where: str) -> None:
    with pytest.raises(DataFileError, match=where.replace("[", r"\[").replace("]", r"\]")):
        load_uncovered(write(tmp_path, text))


@pytest.mark.parametrize(
    ("word", "problem"),
    [("trafikksikkerhet", "stands in the agreement"), ("syklistar", "stands in the agreement"), ("vgs", "is in the synonym list")],
)  # fmt: skip
def test_a_subject_the_agreement_has_is_refused_at_start_up(
    tmp_path: Path, agreement: Agreement, word: str, problem: str
) -> None:
    path = write(
        tmp_path, f"subjects:\n  - subject: helse\n    words: [sykehus]\n  - subject: x\n    words: [kino, {word}]\n"
    )
    lexicon = dataclasses.replace(load_lexicon(), uncovered=load_uncovered(path))
    with pytest.raises(DataFileError) as error:
        build_index(agreement, lexicon, semantic=False)
    assert str(error.value).startswith(f"{path}:5: subjects[1].words[1]: '{word}' {problem}")


UNRELATED = [
    "brøyting i Askim",
    "når er biblioteket i Mysen åpent?",
    "eiendomsskatten i kommunen",
    "kommunebudsjettet for Rakkestad",  # a compound ending in a listed subject
    "legevakt i Indre Østfold",
    "bostøtte fra kommunen",
    "søke barnehageplass i Askim",
    "ordføreren i Rakkestad",
    "støy fra jernbanen i Askim sentrum",
    "vedlikeholdsetterslepet på fylkesveiene",  # a compound starting with a listed subject
]
# A measure's subject asked about a place or a party: the context words must not block the answer.
PARAPHRASES = [
    ("pendlerparkering ved togstasjonen i Askim", {"3.5"}),
    ("lærlingplasser i fylkeskommunen", {"1.8"}),
    ("trafikksikkerhet rundt skolene i Mysen", {"3.2", "3.8"}),
    ("yrkesmessa for ungdommer i regionen", {"1.7"}),
    ("sykkelveier i Askim", {"3.8", "3.3"}),
]


@pytest.mark.parametrize("semantic", [True, False])
def test_an_unrelated_municipal_question_abstains_and_a_measure_is_still_answered(
    index: SearchIndex, agreement: Agreement, semantic: bool
) -> None:
    abstains_and_answers(index if semantic else build_index(agreement, semantic=False), UNRELATED, PARAPHRASES)


def abstains_and_answers(searched: SearchIndex, abstaining: list[str], answering: list[tuple[str, set[str]]]) -> None:
    """Each of `abstaining` finds nothing; each of `answering` has one of its ids in the first three."""
    answered = {question: [hit.id for hit in searched.search(question)[:3]] for question in abstaining}
    assert not any(answered.values()), answered
    lost = [(q, [hit.id for hit in searched.search(q)[:3]]) for q, gold in answering]
    assert all(set(found) & gold for (_, found), (_, gold) in zip(lost, answering, strict=True)), lost


def test_the_same_subject_without_the_list_would_be_answered(agreement: Agreement) -> None:
    """The list is what makes the difference (the test can fail): without it a place name carries an answer."""
    lexicon = load_lexicon()
    bare = dataclasses.replace(lexicon, uncovered=dataclasses.replace(lexicon.uncovered, subjects=()))
    plain = build_index(agreement, bare, semantic=False)
    listed = build_index(agreement, lexicon, semantic=False)
    for question in ("skatt for bedrifter", "lønn for lærlinger"):  # a synonym or a compound part would answer
        assert plain.search(question), question
        assert not listed.search(question), question


def test_a_listed_subject_is_that_word_not_every_word_of_its_stem(index: SearchIndex) -> None:
    """The stemmer gives "ledighet" (listed: unemployment) and "leder", "veileder" one key; a guide who helps
    people start a business is the agreement's etablerertjenesten, not a subject it lacks."""
    assert term_key("ledighet") == term_key("leder")
    guide = index.evidence("veileder for gründere")
    assert guide is not None and guide.uncovered == 0
    assert "2.3.1" in [hit.id for hit in index.search("tjenesten som veileder folk som vil starte bedrift")[:3]]
    evidence = index.evidence("ledigheten i Askim")
    assert evidence is not None and evidence.uncovered > 0
    assert not index.search("ledigheten i Askim")
    # A compound common enough to stay whole that starts with a listed word is about that subject.
    tax = index.evidence("skattesatsen for bedrifter i Indre Østfold")
    assert tax is not None and tax.uncovered > 0
    # A listed form inflected asks for the fact; the agreement's own word ("resultat", 2.3.4) does not.
    assert not index.asks_fact("hva er resultatet av den strategiske dialogen?")
    # A word that is only the key tells nothing apart: "vær" (dialect "være") is not "været" (weather).
    assert term_key("vær") == term_key("været")
    weather = index.evidence("blir været fint i Askim")
    assert weather is not None and weather.uncovered > 0
    network = index.evidence("mobilitetsnettverket, bør vi vær med der?")
    assert network is not None and network.uncovered == 0


# Questions for what an agreement of intentions never holds, about subjects it does have.
FACT_QUESTIONS = [
    "hvor mange lærlinger tok fagbrev i Mysen i fjor?",
    "kor mykje kostar ein plass på fagskolen?",
    "når går første tog fra Askim om morgenen?",
    "når åpner den nye flerbrukshallen?",
    "hvordan søker jeg om plass på yrkesmessa som utstiller?",
    "hvem ringer jeg om trafikksikkerhet ved skolen?",
    "når er neste løp på travbanen?",
    "rutetidene for bussen mellom Askim og Mysen",
    "har antall drepte i trafikken gått ned?",
    "hvem sitter i trafikksikkerhetsutvalget?",
    "hvilket busselskap kjører rutene i Marker?",
    "hva var frafallet på vgs i fjor?",
    "hvilke kurs har etablerertjenesten i høst?",
    "reisetid med tog fra Mysen til Oslo",
    "når er møtet?",  # one word found ("regionrådsmøtene"), but a when-question: the agreement has no dates
    "hva er reglene for å bygge en ny sykkelvei?",
    "hvilke bedrifter er med i næringshagen?",
    "travløp på Momarken søndag",  # a search box's words: a day, an address, minutes, results, a price
    "adressen til fagskolen",
    "referat fra møtet om trafikksikkerhet",
    "resultater fra travløpet",
    "pris på parkering ved Askim stasjon",
    "hva ble vedtatt om sykkelveien i mars?",
    "åpningstidene til næringshagen",  # a listed form inflected
    "prisene for parkering ved Mysen stasjon",
    "hvor ligger kontoret til etablerertjenesten?",
]
# The same kinds of question asked of the agreement: it answers with what it says.
ASKED_OF_THE_AGREEMENT = [
    ("sier avtalen noe om hvor mange lærlingeplasser det skal bli?", {"1.8"}),
    ("hvor mange tiltak handler om trafikksikkerhet?", {"3.2", "3.8"}),
    ("hvor ligger de to skolene avtalen vil styrke?", {"1.4"}),
]


@pytest.mark.parametrize("semantic", [True, False])
def test_a_question_for_a_figure_a_price_a_time_or_a_procedure_abstains(
    index: SearchIndex, agreement: Agreement, semantic: bool
) -> None:
    searched = index if semantic else build_index(agreement, semantic=False)
    abstains_and_answers(searched, FACT_QUESTIONS, ASKED_OF_THE_AGREEMENT)


def test_the_forms_are_what_makes_the_difference(index: SearchIndex, agreement: Agreement) -> None:
    """Without the `asks_for` forms (the test can fail), the same questions find the measure of their subject."""
    evidence = [index.evidence(question) for question in FACT_QUESTIONS]
    assert all(found is not None and found.asks_fact for found in evidence)
    lexicon = load_lexicon()
    bare = build_index(
        agreement, dataclasses.replace(lexicon, uncovered=dataclasses.replace(lexicon.uncovered, asks_for=())),
        semantic=False,
    )  # fmt: skip
    assert sum(bool(bare.search(question)) for question in FACT_QUESTIONS) >= len(FACT_QUESTIONS) // 2
    assert not any(found.asks_fact for found in map(bare.evidence, FACT_QUESTIONS) if found)


@pytest.mark.parametrize(
    "question",
    [
        "hvem er næringssjef i Skiptvet?",
        "kven er kultursjefen i Marker?",
        "hvem ble ordfører i Askim?",
        "hvem er rektor på fagskolen?",
        "hvem er styrelederen i næringshagen?",
    ],
)
def test_a_question_for_the_person_in_a_role_abstains(index: SearchIndex, question: str) -> None:
    """ "hvem er …sjef/-leder/-ordfører": the agreement names no one, whatever the role."""
    evidence = index.evidence(question)
    assert evidence is not None and evidence.asks_fact
    assert not index.search(question)
    assert not index.asks_fact("hvem er partene i avtalen?")


def test_a_form_of_too_many_words_is_refused_with_its_place(tmp_path: Path) -> None:
    text = "subjects:\n  - {subject: helse, words: [sykehus]}\nasks_for: [hvor mange, hva koster det egentlig nå]\n"
    with pytest.raises(DataFileError, match=r":3: asks_for\[1\]: 1 to 4 words, not 5"):
        load_uncovered(write(tmp_path, text))
