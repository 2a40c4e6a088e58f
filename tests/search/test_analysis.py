from __future__ import annotations

import pytest

from bot.search import SearchIndex
from bot.search.analysis import (
    base_forms,
    bokmal_forms,
    digraph_spelling,
    fold,
    native_forms,
    respelled_forms,
    strip_derivation,
    term_key,
    tokenize,
    uninflected_forms,
)


@pytest.mark.parametrize(
    ("forms", "why"),
    [
        (["skole", "skolen", "skolene", "skoler"], "inflection"),
        (["sykkel", "sykler", "syklene"], "-el drops its e before an ending"),
        (["lærling", "lærlinger", "laerlinger", "lærlingar"], "no æøå on the keyboard; nynorsk plural"),
        (["båt", "baat", "bat"], "å typed as aa or a"),
        (["økonomi", "okonomi", "oekonomi"], "ø typed as o or oe"),
        (["yrkesmesse", "yrkesmessa", "yrkesmessen"], "definite forms, bokmål and nynorsk"),
    ],
)
def test_forms_share_a_key(forms: list[str], why: str) -> None:
    assert len({term_key(form) for form in forms}) == 1, why


def test_different_words_keep_different_keys() -> None:
    assert term_key("buss") != term_key("båt")
    assert term_key("syklist") != term_key("syk")
    assert term_key("4") == "4"


def test_tokens_keep_hanging_hyphens_and_positions() -> None:
    tokens = tokenize("Fag- og svennebrev, buss-, båt- og togtilbudet")
    assert [(t.surface, t.hanging_hyphen) for t in tokens] == [
        ("fag", True), ("og", False), ("svennebrev", False), ("buss", True), ("båt", True), ("og", False),
        ("togtilbudet", False),
    ]  # fmt: skip
    text = "Hva med «Sykkel»?"
    token = tokenize(text)[2]
    assert text[token.start : token.end].lower() == "sykkel"


def test_fold_and_derivation() -> None:
    assert fold("Lærlingeplasser".lower()) == "laerlingeplasser"
    assert strip_derivation("sykling") == "sykl"
    assert strip_derivation("buss") is None


def test_fallback_forms_reach_the_agreements_word() -> None:
    assert "grønn" in base_forms("grønnere")  # a comparative meets its adjective
    assert "parkering" in base_forms("parkere")  # a verb meets its noun
    assert "kartlegging" in base_forms("kartlegge")
    assert "parkering" in base_forms("parkerer")


def test_inflected_words_have_their_plain_form_for_the_frequency_list() -> None:
    assert "veiledning" in uninflected_forms("veiledningen")
    assert "prøve" in uninflected_forms("prøven")
    assert "idrett" in uninflected_forms("idretter")
    assert uninflected_forms("bøt") == []  # too short to have an ending


def test_a_consonant_typed_single_or_double_has_the_other_form_for_the_frequency_list() -> None:
    assert "forskjellen" in respelled_forms("forskjelen")
    assert "generell" in respelled_forms("generel")
    assert respelled_forms("buss") == ["bus"]  # one doubled consonant made single, none tripled
    assert respelled_forms("ei") == []


def test_a_common_word_typed_in_haste_weighs_as_filler(index: SearchIndex) -> None:
    """ "forskjelen" is "forskjellen" with one l: as common, so the question covers as much of itself."""
    typed = index.evidence("forskjelen på generell og spesiell del")
    right = index.evidence("forskjellen på generell og spesiell del")
    assert typed is not None and right is not None
    assert typed.coverage == pytest.approx(right.coverage, abs=0.05)


def test_aa_ae_oe_typed_for_aeoa_have_the_native_form_for_the_frequency_list() -> None:
    assert native_forms("faar") == ["får"]
    assert native_forms("vaere") == ["være"]
    assert native_forms("soeke") == ["søke"]
    assert native_forms("sykkel") == []
    assert digraph_spelling("får på være") == "faar paa vaere"


def test_filler_typed_with_aa_is_filler(index: SearchIndex) -> None:
    """ "fraa", "faar" are "fra", "får": a stopword and a common word, not rare subjects the agreement lacks."""
    typed = index.evidence("statistikk fraa fylket, faar vi det")
    right = index.evidence("statistikk fra fylket, får vi det")
    assert typed is not None and right is not None
    assert typed.missing_rare == pytest.approx(right.missing_rare, abs=0.01)
    assert typed.missing_rare < 0.1
    assert "3.1" in [hit.id for hit in index.search("statistikk fraa fylket, faar vi det")[:3]]


def test_nynorsk_endings_have_bokmal_forms_for_the_frequency_list() -> None:
    assert "hjelpe" in bokmal_forms("hjelpa")
    assert "kommunene" in bokmal_forms("kommunane")
    assert bokmal_forms("buss") == []


def test_nynorsk_spellings_have_bokmal_forms() -> None:
    assert "østre" in bokmal_forms("austre")
    assert "togtilbudet" in bokmal_forms("togtilbodet")
    assert "bedre" in bokmal_forms("betre")
    assert "østlandet" in bokmal_forms("austlandet")
    assert "løsene" in bokmal_forms("lausane")  # spelling and ending together


def test_a_nynorsk_spelling_finds_the_agreements_word(index: SearchIndex) -> None:
    assert "3.6" in [hit.id for hit in index.search("togtilbodet på austre linja")[:3]]
