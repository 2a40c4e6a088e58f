"""The shipped word lists against the agreement: every synonym leads somewhere, no filler hides a subject."""

from __future__ import annotations

import pytest

from bot.knowledge import Agreement
from bot.search import SearchIndex
from bot.search.analysis import term_key, tokenize
from bot.search.lexicon import Lexicon, load_lexicon


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_every_meant_word_stands_in_the_agreement(lexicon: Lexicon, index: SearchIndex) -> None:
    for group in lexicon.synonyms:
        for word in group.means:
            assert index.has_term(word), f"synonyms.yaml:{group.line}: {word!r} is not in the agreement"


def test_every_everyday_word_finds_something(lexicon: Lexicon, index: SearchIndex) -> None:
    words = [(group.line, word) for group in lexicon.synonyms for word in group.words]
    wordless = [(line, word) for line, word in words if not tokenize(word)]
    assert not wordless, f"these synonyms have no word in them: {wordless}"
    filler = [(line, word) for line, word in words if all(t.surface in lexicon.stopwords for t in tokenize(word))]
    assert not filler, f"these synonyms are filler the search ignores: {filler}"
    silent = [(line, word) for line, word in words if not index.search(word)]
    assert not silent, f"these synonyms find nothing: {silent}"


def test_no_word_of_a_measure_title_is_filler(lexicon: Lexicon, agreement: Agreement) -> None:
    """A stopword can never be searched for; none of the agreement's subject words may be one."""
    subject_words = {"sykkel", "buss", "tog", "båt", "skole", "lærling", "messe", "landbruk", "mål", "plass"}
    assert not subject_words & lexicon.stopwords
    area_words = {t.surface for area in agreement.areas for t in tokenize(area.title)} - {"og"}
    assert not {term_key(w) for w in area_words} & {term_key(w) for w in lexicon.stopwords}
