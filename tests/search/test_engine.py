"""Behaviour of the search on the real agreement, one mechanism per test."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.search import SearchIndex


def ids(index: SearchIndex, query: str, n: int = 3) -> list[str]:
    return [hit.id for hit in index.search(query)[:n]]


@pytest.mark.parametrize(
    "query",
    ["hei", "takk", "barnehageplass", "sykehuset", "eiendomsskatt", "fotball", "brannstasjon", "",
     "hva sier avtalen om", "????", "🚲🚲", "xqzvkjw", "the quick brown fox"],
)  # fmt: skip
def test_unrelated_questions_get_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_filler_is_ignored(index: SearchIndex) -> None:
    assert ids(index, "hva sier avtalen om sykkel?") == ids(index, "sykkel")
    assert ids(index, "kva seier avtala om buss?") == ids(index, "buss")
    assert ids(index, "e det nåkka om innfartsparkering?") == ids(index, "innfartsparkering")  # dialect "noe"
    assert index.content_words("e det nåkka om innfartsparkering?") == ["innfartsparkering"]  # "e": "er"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("3.2", "3.2"), ("tiltak 3.2", "3.2"), ("2.1 a", "2.1.A"), ("2.1.b", "2.1.B"), ("punkt 2.3.1", "2.3.1"),
     ("område 3", "3"), ("2", "2")],
)  # fmt: skip
def test_numbers_go_straight_to_the_measure(index: SearchIndex, query: str, expected: str) -> None:
    assert ids(index, query, 1) == [expected]


def test_ring_4_is_a_subject_not_a_number(index: SearchIndex) -> None:
    assert ids(index, "ring 4", 1) == ["3.7"]


def test_compounds_both_ways(index: SearchIndex) -> None:
    assert ids(index, "lærling", 1) == ["1.8"]  # part of lærlingeplasser
    assert ids(index, "bildeling", 1) == ["3.3"]  # delingsordninger for bil
    assert ids(index, "fagbrev", 1) == ["1.8"]  # fag- og svennebrev


def test_typo_tolerance_grows_with_length(index: SearchIndex) -> None:
    assert ids(index, "yrkesmese", 1) == ["1.7"]  # 1 edit in 9 letters
    assert ids(index, "trafikksikerhett", 1)[0] in {"3.2", "3.8"}  # 2 edits in 16 letters
    assert ids(index, "mobilitestanalyse", 1) == ["3.1.2"]  # two letters swapped are one edit, and one more
    assert index.search("tag") == []  # one edit from "tog", but short words need exact spelling
    assert ids(index, "bus", 1) == ["3.4"]  # ...except a doubled consonant typed single (nynorsk "grøn")
    assert ids(index, "grøn omstilling", 2)[0] in {"2.1.B", "2.2"}
    # A typo in an inflected form is one edit from the stem, three from the agreement's form "digitalisering".
    assert ids(index, "digitalsieringen", 1) == ["2.1.B"]


def test_the_askers_role_is_not_what_is_asked(index: SearchIndex) -> None:
    """ "rektor" asks for a person the agreement never names, but not when the asker says it is their role."""
    assert index.asks_fact("rektor på Mysen videregående")
    assert not index.asks_fact("Som rektor lurer jeg på hva avtalen gjør for elever som dropper ut")
    assert not index.asks_fact("Jeg er rektor og vil vite om overgangen til videregående")


def test_synonyms_and_abbreviations(index: SearchIndex) -> None:
    assert ids(index, "gründer", 1) == ["2.3.1"]
    assert ids(index, "korona", 1) == ["2.1"]
    assert ids(index, "turisme", 2)[0] in {"2.3.2", "2.3.3"}
    assert set(ids(index, "vgs")) & {"1.1", "1.4", "1.5"}
    # A nynorsk word for one of the agreement's words keeps the phrase it stands in: "høgare utdanning" is 1.3's
    # "høyere utdanning", not any part that says "utdanning".
    for question in ("høgare utdanning", "hogare utdanning"):
        assert ids(index, question, 1) == ["1.3"], question
    assert ids(index, "leie sykkel i byen", 1) == ["3.3"]  # renting is sharing: 3.3's "delingsordninger"


def test_a_phrase_of_filler_and_one_word_means_only_the_whole_phrase(index: SearchIndex) -> None:
    """ "komme seg rundt" is getting about, "uten å flytte" is studying where one lives; "seg" and "flytte" on
    their own are neither, as filler removed from the phrases used to make them."""
    assert not index.search("seg") and not index.search("flytte")
    assert "3.1.2" in ids(index, "hvordan skal eldre komme seg rundt på bygda?", 3)
    assert ids(index, "kan jeg studere uten å flytte hjemmefra?", 1) == ["1.3"]
    assert ids(index, "grønne skiftet", 1) == ids(index, "det grønne skiftet", 1) == ["2.1.B"]  # filler optional


def test_an_adjective_in_e_meets_the_agreements_form(index: SearchIndex) -> None:
    """Snowball stems "konkret" to "konkr" but "konkrete" to "konkret": the plural falls back to the singular."""
    found = index.evidence("konkrete")
    assert found is not None and found.subject_found
    assert ids(index, "hvilke konkrete samarbeid har partene", 1) == ["2.3"]


def test_a_compound_typed_as_two_words(index: SearchIndex) -> None:
    """A first half that is no word of its own is joined to the next ("innfarts parkerng", a typo as well)."""
    assert ids(index, "innfarts parkerng", 1) == ["3.5"]
    assert ids(index, "innfarts parkering ved stasjonen", 1) == ["3.5"]


def test_a_measure_beats_its_area_on_its_own_words(index: SearchIndex) -> None:
    assert ids(index, "sykkelanlegg", 1) == ["3.3"]
    assert ids(index, "arbeidsplassvekst", 1) == ["2"]  # only the area's own words say this


def test_rare_words_weigh_more(index: SearchIndex) -> None:
    # "samarbeid" stands almost everywhere; "Askim" once.
    assert ids(index, "samarbeid Askim", 1) == ["1.4"]


def test_hits_carry_matched_words_and_snippet(index: SearchIndex) -> None:
    hit = index.search("lærlinger")[0]
    assert hit.matched == ("lærlingeplasser",)
    assert "lærlingeplasser" in hit.snippet
    assert 0 < hit.score <= 100


def test_results_are_ordered_and_bounded(index: SearchIndex) -> None:
    hits = index.search("samarbeid", limit=5)
    assert len(hits) <= 5
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_suggestions_for_near_misses(index: SearchIndex) -> None:
    assert "travbane" in index.suggestions("travbanne kjøring")
    assert index.suggestions("hei") == []


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_any_unicode_is_searched_without_error(index: SearchIndex, text: str) -> None:
    hits = index.search(text)
    assert all(0 < hit.score <= 100 and hit.id in index.document_ids for hit in hits)
    assert len(hits) <= 20


def test_what_a_question_weighs_that_the_agreement_lacks(index: SearchIndex) -> None:
    """Dialect forms, places the agreement does not name and a compound's missing first part, each as such."""

    def found(question: str) -> float:
        evidence = index.evidence(question)
        assert evidence is not None
        return evidence.coverage

    assert found("bussen går ikkje der eg bur") == found("bussen")  # short dialect forms are filler
    assert found("bussruter i Rakkestad") == found("bussruter")  # a place the agreement does not name
    hund = index.evidence("hundeplasser")  # the agreement has "plasser", not what they are places of
    assert hund is not None and hund.partial == 1.0 and not hund.subject_found
    assert not index.search("hundeplasser")
    tog = index.evidence("togavganger")  # about trains, where the agreement has no "avganger"
    assert tog is not None and tog.partial == 0.0 and tog.subject_found
    capitals, lower = index.evidence("elevene og PC"), index.evidence("elevene og pc")
    assert capitals is not None and lower is not None and capitals.coverage < lower.coverage  # "PC" is a subject


def test_a_bare_word_answers_as_it_is_found(index: SearchIndex) -> None:
    """A single word found (a typo of one too) answers; its vague embedding adds no part no word matched."""
    assert [hit.id for hit in index.search("larlinger")][:1] == ["1.8"]  # æ typed as a, and no e
    assert {hit.id for hit in index.search("tog")} <= {"3", "3.4", "3.6"}
    assert [hit.id for hit in index.search("togan")][:1] == ["3.6"]  # a dialect plural
    assert not index.search("' OR 1=1 --")  # lone numbers are no subject


@pytest.mark.parametrize(
    "question",
    [
        "Jeg jobber som sykepleier og lurer på om avtalen sier noe om sykkelveier",
        "Hei, jeg er ordfører i Marker, hva sier avtalen om togtilbudet?",
        "Som landbruksrådgiver lurer jeg på om avtalen har noe om lokalmat",
    ],
)
def test_the_askers_role_is_not_the_subject(index: SearchIndex, question: str) -> None:
    """A role the agreement does not cover (health, local politics, a job title) introduces the asker."""
    found = index.evidence(question)
    assert found is not None and found.uncovered == 0.0, question
    assert index.search(question), question


def test_a_role_asked_about_is_still_the_subject(index: SearchIndex) -> None:
    for question in ("sykepleier i Askim", "hva gjør ordføreren i Marker?"):
        assert not index.search(question), question
    assert index.search("flere som fullfører vgs")  # a relative clause is no introduction


def test_where_the_asker_works_is_not_the_subject(index: SearchIndex) -> None:
    """After the role, a workplace up to a comma or "og" goes with it when its words only say where or who, or
    are words the agreement lacks; a subject after "i" stays ("interessert i sykkelveier")."""
    assert index.content_words("Jeg er ny i regionrådet, hva sier avtalen om sykkel?") == ["sykkel"]
    assert index.content_words("Jeg er rådgiver for ordføreren og lurer på noe om reiseliv") == ["reiseliv"]
    assert index.content_words("Jeg er interessert i sykkelveier, hva sier avtalen?") == ["sykkelveier"]
    # Someone else's question passed on: who asks, then "spør"/"lurer"; not a subject that wonders.
    assert index.content_words("Ordføreren vår spør hvor lenge avtalen varer") == ["varer"]
    assert index.content_words("Lærlinger lurer på om det blir flere plasser") == ["lærlinger", "plasser"]
    # A workplace without a role: "jeg sitter i", "eg jobbar i" … up to a comma or "og", if it only says where.
    assert index.content_words("Jeg sitter i formannskapet i Marker og lurer på noe om reiseliv") == ["reiseliv"]
    assert index.content_words("eg jobbar i Skiptvet kommune, kva seier avtalen om tog?") == ["tog"]
    assert index.content_words("jeg jobber i kommunen med sykkelveier") == ["jobber", "kommunen", "sykkelveier"]
    assert index.content_words("Jeg er lærer i yrkesfag og lurer på om lærlinger") == ["yrkesfag", "lærlinger"]
    assert index.content_words("Jeg er ny i regionrådet") == ["regionrådet"]  # no comma or "og": no workplace
    found = index.evidence("Jeg er rådgiver for ordføreren, hva sier avtalen om reiseliv?")
    assert found is not None and found.uncovered == 0.0


def test_a_lead_in_the_agreement_lacks_is_the_askers_situation(index: SearchIndex) -> None:
    """Before "lurer på", "trenger å vite" …: a word the agreement lacks, even a subject it lacks ("orientere
    kommunestyret"), describes the asker's situation; a word it has still counts, and so does the whole lead-in
    when the question proper has no words of its own ("… og lurer på hva avtalen sier om det")."""
    question = "Jeg har en liten frisørsalong i Askim og lurer på hva avtalen sier om lærlinger"
    found, alone = index.evidence(question), index.evidence("frisørsalong og lærlinger")
    assert found is not None and alone is not None
    assert found.missing_rare == 0.0 < alone.missing_rare
    assert "1.8" in [hit.id for hit in index.search(question)[:3]]
    uncovered = index.evidence("Vi snakket om eiendomsskatt i går og lurer på hva avtalen sier om det")
    assert uncovered is not None and uncovered.uncovered > 0.0
    audience = "Jeg skal orientere kommunestyret og trenger å vite hva avtalen sier om sykkelveier"
    found, alone = index.evidence(audience), index.evidence("kommunestyret og sykkelveier")
    assert found is not None and alone is not None
    assert found.uncovered == 0.0 < alone.uncovered
    assert index.search(audience)
    kept = index.evidence("Frisørsalonger og lærlinger, det lurer jeg på")  # nothing after it: the lead-in is all
    assert kept is not None and kept.missing_rare > 0.0


def test_sentences_before_a_closing_question_are_the_askers_situation(index: SearchIndex) -> None:
    """Sentences that tell why someone asks ("Noen i kommunestyret mener …") come before the question proper;
    a subject the agreement lacks in them describes the situation, as a lead-in before "lurer på" does."""
    question = (
        "Noen i kommunestyret mener at fylket bestemmer alt. Står det noe i avtalen om at partene skal være"
        " likeverdige?"
    )
    found, alone = index.evidence(question), index.evidence("kommunestyret bestemmer alt, partene likeverdige")
    assert found is not None and alone is not None
    assert found.uncovered == 0.0 < alone.uncovered
    assert "likeverdige-parter" in [hit.id for hit in index.search(question)[:3]]
    assert not index.search("når kommer ny sykkelvei langs fv. 128?")  # an abbreviation's full stop ends nothing


@pytest.mark.parametrize(
    "question",
    [
        "Vi vurderer å bygge et nytt sykehjem i Askim. Kan avtalen hjelpe oss med det?",  # the subject is before
        "Vi vurderer å bygge et nytt sykehjem i Askim, og lurer på om avtalen kan hjelpe oss med det?",
    ],
)
def test_a_lead_in_keeps_the_subject_when_the_question_after_it_has_none(index: SearchIndex, question: str) -> None:
    evidence = index.evidence(question)
    assert evidence is not None and evidence.uncovered > 0.0
    assert not index.search(question)


def test_pupils_in_their_last_year_before_upper_secondary_are_the_transition(index: SearchIndex) -> None:
    """ "tiendeklassinger", "avgangselever": the pupils 1.5's overgang fra grunnskole til videregående is for."""
    for question in ("hjelp til tiendeklassinger som skal begynne på vgs", "avgangselever på ungdomsskolen"):
        assert "1.5" in [hit.id for hit in index.search(question)[:3]], question
