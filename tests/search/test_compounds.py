from __future__ import annotations

import pytest

from bot.search.analysis import bokmal_forms
from bot.search.compounds import CompoundSplitter, wordfreq_zipf


@pytest.fixture(scope="module")
def splitter() -> CompoundSplitter:
    return CompoundSplitter(wordfreq_zipf())


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("lærlingeplasser", {"lærling", "plasser"}),  # linking -e-
        ("delingsordninger", {"deling", "ordninger"}),  # linking -s-
        ("bildeling", {"bil", "deling"}),
        ("trafikksikkerhetsutvalg", {"trafikksikkerhet", "utvalg", "trafikk", "sikkerhet"}),  # recursive
        ("kollektivterminaler", {"kollektiv", "terminaler"}),
        ("samferdselsprosjekter", {"samferdsel", "prosjekter"}),  # a rare genitive is the word with -s-
        ("varelogistikk", {"vare", "logistikk"}),  # a common word keeps its last letter
    ],
)
def test_compounds_split_into_words(splitter: CompoundSplitter, word: str, parts: set[str]) -> None:
    assert set(splitter.split(word)) == parts


@pytest.mark.parametrize("word", ["syklist", "videregående", "næringslivet", "sykkel", "buss", "travbane"])
def test_words_common_on_their_own_stay_whole(splitter: CompoundSplitter, word: str) -> None:
    assert splitter.split(word) == ()


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("busstilbodet", ("buss", "tilbodet")),  # nynorsk "tilbod" is bokmål "tilbud"
        ("samferdselssatsingar", ("samferdsel", "satsingar")),  # not "samferdselssatsin" + "gar"
        ("kulturskuletilbod", ("kulturskule", "tilbod")),  # not "kulturskuletil" + "bod"
        ("sykkelvegane", ("sykkel", "vegane")),
    ],
)
def test_nynorsk_parts_count_as_the_words_they_are(word: str, parts: tuple[str, str]) -> None:
    """The frequency list is bokmål: a nynorsk part is read in its bokmål spelling, or it looks rare."""
    assert CompoundSplitter(wordfreq_zipf(), bokmal_forms).split(word)[:2] == parts
    assert CompoundSplitter(wordfreq_zipf()).split(word)[:2] != parts  # what the respelling changes


def test_inflectional_endings_are_not_heads(splitter: CompoundSplitter) -> None:
    assert "ene" not in splitter.split("kompetansemiljøene")


def test_head_of_a_compound_with_an_unknown_first_part(splitter: CompoundSplitter) -> None:
    assert splitter.head("svennebrev") == "brev"
    assert splitter.head("togtilbudet") == "tilbudet"


def test_the_bokmal_list_read_directly_is_wordfreqs() -> None:
    """compounds.py reads wordfreq's data file itself (importing wordfreq is slow): the same words and the
    same frequencies as `wordfreq.get_frequency_dict`."""
    from wordfreq import get_frequency_dict

    from bot.search.compounds import _bokmal_frequencies

    assert _bokmal_frequencies() == get_frequency_dict("nb", wordlist="best")


def test_the_bokmal_list_is_read_once_per_process() -> None:
    """Every unanswered question asks for the list again (for its "mente du?"); reading the file each time
    tripled a question's cost."""
    from bot.search.compounds import _bokmal_frequencies

    assert _bokmal_frequencies() is _bokmal_frequencies()
