"""The search: a question in everyday Norwegian → the agreement's parts that answer it, or nothing.

How a document scores: every content word of the question is a *concept* weighted by how rare its best
match is in the agreement (idf). A document's coverage is the weighted share of concepts it matches, each
match counted by its quality (exact 1.0, synonym 0.9, typo 0.75–0.85, compound part 0.8, the area's or
parent's words only 0.4). Coverage decides the order and the abstention: a question whose words the agreement
mostly does not contain gets no result, however close some fuzzy string may be.
"""

from __future__ import annotations

import logging
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import OSA, Levenshtein

from bot.datafile import DataFileError
from bot.knowledge import Agreement, canonical_measure_id
from bot.search.analysis import (
    Token,
    base_forms,
    bokmal_forms,
    fold,
    native_forms,
    normalise,
    respelled_forms,
    strip_derivation,
    term_key,
    tokenize,
    undouble,
    uninflected_forms,
)
from bot.search.compounds import CompoundSplitter
from bot.search.decision import Evidence, abstains_whatever_it_means, decide
from bot.search.lexicon import MAX_FORM_WORDS, Lexicon, Name, Uncovered, UncoveredWord
from bot.search.semantic import Embedder, SemanticLayer

Kind = Literal["section", "area", "measure"]

logger = logging.getLogger("bot.search")

# Field weights: where in a document a word stands.
OWN = 1.0
OWN_PART = 0.8  # part of a compound in the document's own text (lærling in lærlingeplasser)
CONTEXT = 0.4  # the area's title, the group heading, the parent measure's text
CONTEXT_PART = 0.3

# Match qualities: how the question's word reached the document's term.
SYNONYM = 0.9
DESCRIBED = 0.5  # a rare word of a name's description that nothing else has (`_add_descriptions`)
DESCRIBED_MAX_ZIPF = 4.0  # and rare means below this in general bokmål
DERIVED = 0.9  # sykling → sykl-
COMPOUND = 0.85  # the question's compound matched part by part (bildeling → bil + deling)
TYPO_BY_DISTANCE = {1: 0.85, 2: 0.75}
REAL_WORD_ZIPF = 2.5  # words this common in bokmål are what they say, never typos of another word

# The opening sections are prose about the agreement itself; where a measure says the same, it is the answer.
KIND_PRIOR: dict[Kind, float] = {"section": 0.9, "area": 1.0, "measure": 1.0}

# A word the agreement lacks weighs by how rare it is in general bokmål (wordfreq zipf): "lovet", "folk",
# "langs" are filler of a sentence, "brannvesenet", "gatelys" are subjects the agreement does not have.
RARE_ZIPF = 3.5  # at or below: a full unknown word
COMMON_ZIPF = 5.0  # at or above: weighs only FILLER_SHARE of one
FILLER_SHARE = 0.0
_PUNCTUATION = ".,;:!?«»\"'()[]…"
# How a question introduces its asker, at its start or after "hei,"; the role is what follows, up to a filler word
# or a comma, at most MAX_ROLE_WORDS ("Som landbruksrådgiver lurer jeg …", "Jeg jobber som rektor og …").
INTRODUCTIONS = tuple(
    tuple(fold(word) for word in phrase.split())
    for phrase in (
        "jeg jobber som", "eg jobbar som", "jeg arbeider som", "eg arbeider som", "jeg er ansatt som",
        "eg er tilsett som", "jeg er", "eg er", "som",
    )
)  # fmt: skip
MAX_ROLE_WORDS = 3
# Someone else's question passed on ("Sjefen min spør …", "Ordføreren lurer på …"): who asks, up to MAX_ROLE_WORDS
# words that only say who, then one of these.
ASKING_VERBS = frozenset({"spor", "spurte", "lurer", "lurte", "lurar", "undrer"})
# Where the asker works, said without a role ("Jeg sitter i regionrådet og …", "Eg jobbar i kommunen, …"): dropped
# like a workplace after a role (WORKPLACE_LINKS below).
WORKPLACE_OPENINGS = tuple(
    tuple(fold(word) for word in phrase.split())
    for phrase in ("jeg sitter", "eg sit", "jeg jobber", "eg jobbar", "jeg arbeider", "eg arbeider", "je jobber")
)
# After the role, where the asker works ("Jeg er ny i regionrådet, …", "Jeg er rådgiver for ordføreren og …"):
# a phrase from one of these words to a comma or "og", at most MAX_WORKPLACE_WORDS, whose words only say where or
# who, or are words the agreement lacks ("interessert i sykkelveier, …" keeps its subject).
WORKPLACE_LINKS = frozenset({"i", "pa", "for", "ved", "hos", "innen", "fra"})  # folded: "på" is "pa"
MAX_WORKPLACE_WORDS = 4
# Where the question proper starts after a lead-in ("Jeg driver et rørleggerfirma i Rakkestad og lurer på om …"):
# a lead-in word the agreement has still counts, one it lacks is the asker's situation, not a missing subject.
TURNS = tuple(
    tuple(fold(word) for word in phrase.split())
    for phrase in (
        "lurer på", "lurer jeg på", "lurer derfor på", "lurar på", "lurer eg på", "lure på", "undrer meg på",
        "trenger å vite", "treng å vite", "vil vite", "vil gjerne vite", "ville vite", "skulle gjerne visst",
        "spør om", "spør derfor om", "har et spørsmål", "har eit spørsmål",
    )
)  # fmt: skip
_WHO_IS = {(who, verb) for who in ("hvem", "kven", "kem") for verb in ("er", "e", "blir", "blei", "ble", "var")}
ROLE_ENDINGS = ("sjef", "sjefen", "leder", "lederen", "leiar", "leiaren", "direktor", "direktoren", "rektor",
                "rektoren", "ordforer", "ordforar", "ordforeren", "radmann", "radmannen", "utbygger", "utbyggeren",
                "byggherre", "byggherren", "arkitekt", "arkitekten", "entreprenor", "entreprenoren")  # fmt: skip
MIN_UNCOVERED_START = 4  # a listed word this long starts a compound about it; a shorter one is often no word
SHORT_WORD = 3  # an unknown word this short is a dialect form or filler ("eg", "bur", "ho"), not a subject
CONTEXT_IN_TOTAL = 0.25  # a place or a party weighs a quarter of its rarity: it says where, not what ("tog fra Askim")
HEAD_SHARE = 0.5  # a compound's later part the agreement lacks weighs this much when its first part is found

# Reciprocal-rank fusion of the two rankings (the lexical one first among equals).
FUSION_K = 1.0
LEXICAL_WEIGHT = 1.0
SEMANTIC_WEIGHT = 0.75
SEMANTIC_KEEP = 0.015  # parts this close to the best cosine are shown even where no word matched
MIN_DOCUMENT_COVERAGE = 0.3  # and a document answering less of it than this is not shown
KEEP_FRACTION = 0.5  # results below this share of the best score are dropped
MAX_RESULTS = 20
PHRASE_LENGTHS = (6, 5, 4, 3, 2)  # synonym and name phrases, longest first (MAX_NAME_WORDS in lexicon.py)

_MEASURE_REF = re.compile(r"(?<![\d.])(\d{1,2}(?:\.\d{1,2}){1,2})(?:\.?\s?([ab])\b)?(?![\d])", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"[.!?]\s")  # not "3.2"
QUESTION_WORDS = 3  # a closing question after a lead-in has at least these
_ABBREVIATION = re.compile(rf"\b[A-ZÆØÅ]{{2,{SHORT_WORD}}}\b")
_AREA_REF = re.compile(r"^(?:innsats)?(?:området|område|omrade)?\s*(\d{1,2})$")


@dataclass(frozen=True)
class SourceDocument:
    """What the index is built from: a part of the agreement with its own words and its context."""

    id: str
    kind: Kind
    own: str  # the text that is this document's own (marked, quoted, snippeted)
    context: str = ""  # words that describe it but are not its own


@dataclass(frozen=True)
class Hit:
    id: str
    kind: Kind
    score: float  # 0–100: the share of the question this document answers
    matched: tuple[str, ...]  # the document's own words that matched, as written there
    snippet: str


@dataclass
class _Concept:
    """One content word of the question with every way it can match."""

    word: str
    alternatives: dict[str, float] = field(default_factory=dict)  # term key → quality
    parts: list[dict[str, float]] = field(default_factory=list)  # compound parts, each its alternatives
    weight: float = 0.0
    rarity: float = 0.0  # for a word the agreement lacks: 0 common in Norwegian (filler) … 1 rare (a subject)
    uncovered: bool = False  # a subject the agreement does not cover (knowledge/uncovered.yaml)
    broad: bool = False  # found only as a place, a party or a kind of public body: context, not subject


@dataclass(frozen=True)
class _Lexical:
    coverage: dict[int, float]  # document → weighted share of the question it covers
    matched: dict[int, set[str]]  # document → its keys that matched
    share: float  # share of the question's weight found anywhere
    missing_rare: float  # share of the weight in rare words found nowhere
    subject_found: bool
    uncovered: float = 0.0  # share of the weight in subjects the agreement does not cover
    specific_found: bool = False  # a word found that is more than context (a place, a party)
    context: float = 0.0  # share of the weight found only as a place, a party or a kind of public body
    partial: float = 0.0  # share of the weight in compounds found only by some of their parts


@dataclass
class _Document:
    source: SourceDocument
    length: int
    surfaces: dict[str, set[str]] = field(default_factory=dict)  # key → own words that carry it


def documents_from_agreement(agreement: Agreement) -> list[SourceDocument]:
    """Sections, areas and measures as search documents. An area's own words are its title, hashtag and
    goal; a measure's context is its area, group heading and parent, so the measure wins on its own words."""
    documents = [
        SourceDocument(section.id, "section", f"{section.title}\n{section.text}") for section in agreement.sections
    ]
    for area in agreement.areas:
        sdg = f"{area.sdg_number} – {area.sdg_title}" if area.sdg_title else ""
        own = "\n".join(part for part in (area.title, area.hashtag, sdg) if part)
        documents.append(SourceDocument(area.id, "area", own, area.intro or ""))
        for measure in area.measures:
            parent = agreement.measure(measure.parent_id) if measure.parent_id else None
            context = [area.title, area.hashtag, measure.group or "", parent.text if parent else ""]
            documents.append(SourceDocument(measure.id, "measure", measure.text, "\n".join(context)))
    return documents


class SearchIndex:
    """An inverted index over term keys, with the lexicon and the compound splitter it answers with."""

    def __init__(
        self,
        documents: Sequence[SourceDocument],
        lexicon: Lexicon,
        splitter: CompoundSplitter,
        embedder: Callable[[], Embedder] | None = None,
    ) -> None:
        self._lexicon = lexicon
        self._splitter = splitter
        self._documents: list[_Document] = []
        self._by_id: dict[str, int] = {}
        self._postings: dict[str, dict[int, float]] = defaultdict(dict)
        self._surface_keys: dict[str, set[str]] = defaultdict(set)  # folded word → keys (for typos)
        for document in documents:
            self._add(document)
        self._name_keys = self._add_names(lexicon.names)
        self._postings = dict(self._postings)
        count = len(self._documents)
        self._idf = {key: math.log(1 + count / len(docs)) for key, docs in self._postings.items()}
        self.unknown_idf = math.log(1 + count / 0.5)

        self._synonyms: dict[str, dict[str, float]] = defaultdict(dict)  # word key → meant keys
        self._synonym_phrases: dict[tuple[str, ...], dict[str, float]] = defaultdict(dict)
        # Phrases made partly of filler ("komme seg rundt", "uten å flytte"), matched as typed, filler and all:
        # without it they would be one common word ("seg", "flytte").
        self._filler_phrases: dict[tuple[str, ...], dict[str, float]] = defaultdict(dict)
        for group in lexicon.synonyms:
            meant = {key: SYNONYM for key in self._keys_of(" ".join(group.means)) if key in self._postings}
            for word in group.words + group.means:  # the agreement's own words in a group are related too
                keys = tuple(self._keys_of(word))
                surfaces = [token.surface for token in tokenize(word)]
                if len(keys) < len(surfaces) > 1:
                    self._filler_phrases[tuple(term_key(surface) for surface in surfaces)].update(meant)
                    if len(keys) == 1:  # all filler but one word: only the whole phrase means it
                        continue
                if len(keys) == 1:
                    self._synonyms[keys[0]].update(meant)
                    self._surface_keys[fold(word)].add(keys[0])
                elif keys:
                    self._synonym_phrases[keys].update(meant)
        for entry, name_key in zip(lexicon.names, self._name_keys, strict=True):
            meant = {name_key: OWN}  # a name people use is the thing itself, not a related word
            for said in entry.said:
                keys = self._phrase_keys(said)
                if len(keys) == 1:
                    self._synonyms[keys[0]].update(meant)
                    self._surface_keys[fold(said.lower())].add(keys[0])
                elif keys:
                    self._synonym_phrases[keys].update(meant)
        self._add_descriptions(lexicon)
        self._fuzzy_choices = list(self._surface_keys)
        self._native = {  # "hoyere" → "høyere": the agreement's spelling of a word typed without æøå
            fold(word): word
            for document in self._documents
            for words in document.surfaces.values()
            for word in words
            if fold(word) != word
        }
        self._undoubled: dict[str, set[str]] = defaultdict(set)
        for key in [*self._postings, *self._synonyms]:
            self._undoubled[undouble(key)].add(key)
        self._stop_phrases = {tuple(term_key(word) for word in phrase) for phrase in lexicon.stop_phrases}
        self._uncovered_keys, self._uncovered_phrases = self._add_uncovered(lexicon.uncovered.subjects)
        self._uncovered_words = {  # listed words long enough to start a compound ("skatt", not "ras")
            listed for forms in self._uncovered_keys.values() for listed in forms
            if " " not in listed and len(listed) >= MIN_UNCOVERED_START
        }  # fmt: skip
        self._context_keys = self._broad_keys(lexicon.uncovered, lexicon.names)
        self._asks_for = set(lexicon.uncovered.asks_for)
        # A one-word form in any inflection ("åpningstidene"), unless the agreement has the word ("resultat") or it
        # is a person's role, asked for only as listed ("ordførerne samles" is the regional council's meetings).
        self._asks_for_keys = {
            term_key(word)
            for (word, *more) in self._asks_for
            if not more and term_key(word) not in self._postings and not word.endswith(ROLE_ENDINGS)
        }
        self._about_agreement = set(lexicon.uncovered.about_agreement)
        self._name_passages = self._name_texts(lexicon.names)
        texts = [d.source.own for d in self._documents] + [text for text, _ in self._name_passages]
        self._semantic = SemanticLayer(texts, embedder, filler=self._is_filler) if embedder else None

    @property
    def semantic(self) -> bool:
        """Whether the semantic layer answers (waits for it to load)."""
        return self._semantic is not None and self._semantic.ready()

    # -- building -------------------------------------------------------------------------------------
    def _add(self, source: SourceDocument) -> None:
        index = len(self._documents)
        own_tokens = self._expand_hyphens(tokenize(source.own))
        document = _Document(source, len(own_tokens))
        self._documents.append(document)
        self._by_id[source.id] = index
        for token in own_tokens:
            self._post(index, token.surface, OWN, OWN_PART, document)
        for token in self._expand_hyphens(tokenize(source.context)):
            self._post(index, token.surface, CONTEXT, CONTEXT_PART, None)

    def _add_names(self, names: Sequence[Name]) -> list[str]:
        """A key of its own for each name, in the documents where it stands whole: "universitetet på Ås"
        means NMBU, not every part that says "universitet"."""
        keys = []
        for position, entry in enumerate(names):
            key = f"#name{position}"
            wanted = " ".join(entry.name.lower().split())
            for index, document in enumerate(self._documents):
                own = " ".join(document.source.own.lower().split())
                start = own.find(wanted)
                if start >= 0:
                    self._postings[key][index] = OWN
                    document.surfaces.setdefault(key, set()).update(
                        t.surface for t in tokenize(own[start:][: len(wanted)])
                    )
            keys.append(key)
        return keys

    def _add_descriptions(self, lexicon: Lexicon) -> None:
        """A rare word that only a name's description has ("militærleiren", "agronomer") leads weakly to the
        name: a question describing the thing has found something, not lacked a subject. A word the agreement
        or a synonym has (as it stands or as a derived form), a place, a party or a subject the agreement lacks
        keeps its own meaning; a common word ("gamle", "byen") means too much else; and a description of a
        place or a party says what is there, not where."""
        context = {key for word in lexicon.uncovered.context for key in self._phrase_keys(word)}
        taken = context | {key for entry in lexicon.uncovered.subjects for key in self._phrase_keys(entry.word)}
        described: dict[str, dict[str, float]] = defaultdict(dict)
        for entry, name_key in zip(lexicon.names, self._name_keys, strict=True):
            if set(self._phrase_keys(entry.name)) <= context:
                continue  # a place or a party says where or who: "gymnaset i Askim" is not about where
            for token in (t for description in entry.described for t in tokenize(description)):
                key = term_key(token.surface)
                if token.surface in self._lexicon.stopwords or key in taken or self._alternatives(token.surface):
                    continue
                if self._splitter.frequency(token.surface) < DESCRIBED_MAX_ZIPF:
                    described[key][name_key] = DESCRIBED
        for key, meant in described.items():
            self._synonyms[key] = meant

    def _is_filler(self, word: str) -> bool:
        """A word as typed ("lurer", "på,", "Jeg") that says nothing of the question's subject."""
        return normalise(word).strip(_PUNCTUATION) in self._lexicon.stopwords

    def _name_texts(self, names: Sequence[Name]) -> list[tuple[str, list[int]]]:
        """A passage per name and the parts it stands in: "multisporthall: idrettshall, flerbrukshall, …" meets
        "the big hall for many sports" where the measure's whole text, about much else, is too far from it."""
        found = []
        for entry, key in zip(names, self._name_keys, strict=True):
            documents = sorted(self._postings.get(key, {}))
            if documents:
                found.append((f"{entry.name}: {', '.join(entry.said)}", documents))
                found.extend((f"{entry.name}: {description}", documents) for description in entry.described)
        return found

    def _add_uncovered(self, subjects: Sequence[UncoveredWord]) -> tuple[dict[str, set[str]], set[tuple[str, ...]]]:
        """The keys of subjects the agreement does not cover, each with its words (folded); one the agreement
        or the synonym list has is refused at its line: it would be a subject the agreement does cover."""
        single: dict[str, set[str]] = defaultdict(set)
        phrases: set[tuple[str, ...]] = set()
        for entry in subjects:
            keys = self._phrase_keys(entry.word)
            if not keys:
                raise DataFileError(entry.path, entry.line, entry.field, f"{entry.word!r} is only filler words")
            if len(keys) > 1:
                if keys in self._synonym_phrases:
                    raise DataFileError(entry.path, entry.line, entry.field, f"{entry.word!r} is in the synonym list")
                phrases.add(keys)
                continue
            if keys[0] in self._postings:
                raise DataFileError(entry.path, entry.line, entry.field, f"{entry.word!r} stands in the agreement")
            if keys[0] in self._synonyms:
                raise DataFileError(entry.path, entry.line, entry.field, f"{entry.word!r} is in the synonym list")
            single[keys[0]].add(fold(entry.word.lower()))
        return single, phrases

    def _broad_keys(self, uncovered: Uncovered, names: Sequence[Name]) -> set[str]:
        """Keys that only say where or who: the context words, and each name made of them alone
        ("Viken fylkeskommune", "Askim") with what people call it."""
        keys = {key for word in uncovered.context for key in self._phrase_keys(word)}
        for entry, name_key in zip(names, self._name_keys, strict=True):
            if set(self._phrase_keys(entry.name)) <= keys:
                keys.add(name_key)
        return keys

    def _post(self, index: int, word: str, weight: float, part_weight: float, document: _Document | None) -> None:
        if word in self._lexicon.stopwords:
            return  # a question never searches for them; "været" must not meet "være"
        entries = [(word, weight)] + [(part, part_weight) for part in self._splitter.split(word)]
        derived = strip_derivation(word)
        if derived:
            entries.append((derived, part_weight))
        for surface, entry_weight in entries:
            key = term_key(surface)
            if self._postings[key].get(index, 0.0) < entry_weight:
                self._postings[key][index] = entry_weight
            self._surface_keys[fold(surface)].add(key)
            self._surface_keys[key].add(key)  # a typo in an inflected form is closest to the stem
            if document is not None:
                document.surfaces.setdefault(key, set()).add(word)

    def _expand_hyphens(self, tokens: list[Token]) -> list[Token]:
        """ "fag- og svennebrev" → fag, fagbrev, og, svennebrev: the hanging word takes the next one's head."""
        expanded: list[Token] = []
        for position, token in enumerate(tokens):
            expanded.append(token)
            if not token.hanging_hyphen:
                continue
            for later in tokens[position + 1 : position + 4]:
                if later.hanging_hyphen or later.surface in {"og", "eller", "og/eller"}:
                    continue
                head = self._splitter.head(later.surface)
                if head:
                    expanded.append(Token(token.surface + head, token.start, token.end))
                break
        return expanded

    def _phrase_keys(self, text: str) -> tuple[str, ...]:
        """A phrase's keys as a question's would be: hyphens completed, filler dropped."""
        tokens = self._expand_hyphens(tokenize(text))
        return tuple(term_key(token.surface) for token in tokens if token.surface not in self._lexicon.stopwords)

    def _keys_of(self, text: str) -> list[str]:
        return [term_key(token.surface) for token in tokenize(text) if token.surface not in self._lexicon.stopwords]

    # -- searching -----------------------------------------------------------------------------------
    @property
    def document_ids(self) -> list[str]:
        return [document.source.id for document in self._documents]

    def content_words(self, query: str) -> list[str]:
        """The question without filler, measure numbers, lone letters (dialect "e" for "er") and the asker's role,
        as typed ("hva sier avtalen om sykkel?" → sykkel)."""
        text = _MEASURE_REF.sub(" ", query)
        tokens = self._without_introduction(text, tokenize(text))
        return [t.surface for t in tokens if len(t.surface) > 1 and t.surface not in self._lexicon.stopwords]

    def has_term(self, word: str) -> bool:
        return any(key in self._postings for key in self._keys_of(word))

    def search(self, query: str, limit: int = MAX_RESULTS) -> list[Hit]:
        """Ranked hits for a question; [] when the agreement does not answer it."""
        query = query[:512]
        referenced = self._references(query)
        concepts = self._concepts(_MEASURE_REF.sub(" ", query) if referenced else query)
        hits = [self._hit(index, 100.0, set()) for index in referenced]
        if concepts:
            named = {hit.id for hit in hits}
            hits += [hit for hit in self._ranked(query, concepts) if hit.id not in named]
        return hits[:limit]

    def _references(self, query: str) -> list[int]:
        """Measures named by number ("3.2", "tiltak 2.1 a") or an area alone ("område 3", "3")."""
        found = []
        for match in _MEASURE_REF.finditer(query):
            measure_id = canonical_measure_id(match.group(0))
            index = self._by_id.get(measure_id, self._by_id.get(match.group(1)))
            if index is not None and index not in found:
                found.append(index)
        area = _AREA_REF.match(" ".join(t.surface for t in tokenize(query) if t.surface not in {"tiltak"}))
        if area and area.group(1) in self._by_id:
            found.append(self._by_id[area.group(1)])
        return found

    def _concepts(self, query: str) -> list[_Concept]:
        """The question's content words: filler phrases and words dropped, synonym phrases taken whole, and a
        lead-in's words the agreement lacks left out (`TURNS`)."""
        tokens = self._expand_hyphens(self._without_introduction(query, tokenize(query)))
        keys = [term_key(token.surface) for token in tokens]
        turn = self._turn(tokens, normalise(query))
        content: list[tuple[str, str]] = []
        meanings: dict[int, dict[str, float]] = {}  # content's filler phrases, by their place in it
        lead_in = 0  # content words before the turn
        position = 0
        while position < len(tokens):
            length = next((n for n in (4, 3, 2) if tuple(keys[position : position + n]) in self._filler_phrases), 0)
            if length:
                meanings[len(content)] = self._filler_phrases[tuple(keys[position : position + length])]
                content.append((" ".join(token.surface for token in tokens[position : position + length]), ""))
                lead_in += position < turn
                position += length
                continue
            length = next((n for n in (3, 2) if tuple(keys[position : position + n]) in self._stop_phrases), 0)
            if not length:
                word, key = tokens[position].surface, keys[position]
                if word not in self._lexicon.stopwords:
                    content.append((word, key))
                    lead_in += position < turn
                length = 1
            position += length
        concepts: list[_Concept] = []
        starts: list[int] = []  # where each concept starts in `content`
        position = 0
        while position < len(content):
            starts.append(position)
            if position in meanings:
                concepts.append(_Concept(content[position][0], dict(meanings[position])))
                position += 1
                continue
            joined = self._joined(content, position, meanings)
            if joined is not None:  # "innfarts parkering": a compound typed as two words
                concepts.append(joined)
                position += 2
                continue
            for length in PHRASE_LENGTHS:
                phrase = tuple(key for _, key in content[position : position + length])
                if len(phrase) == length and phrase in self._uncovered_phrases:
                    words = " ".join(word for word, _ in content[position : position + length])
                    concepts.append(_Concept(words, uncovered=True))
                    break
                if len(phrase) == length and phrase in self._synonym_phrases:
                    words = " ".join(word for word, _ in content[position : position + length])
                    concepts.append(_Concept(words, dict(self._synonym_phrases[phrase])))
                    break
            else:
                length = 1
                concepts.append(self._concept(content[position][0]))
            position += length
        capitals = {word.lower() for word in _ABBREVIATION.findall(query)}  # "PC", "NAV": a subject, however short
        for concept in concepts:
            concept.broad = bool(concept.alternatives) and set(concept.alternatives) <= self._context_keys
            weight = self._concept_weight(concept, abbreviation=concept.word in capitals)
            concept.weight = weight * (CONTEXT_IN_TOTAL if concept.broad else 1.0)
        # A lead-in, and a question after it with a subject of its own: not "… sykehjem. Kan avtalen hjelpe oss
        # med det?", where the lead-in holds the subject.
        asked = [c for c, start in zip(concepts, starts, strict=True) if start >= lead_in and c.weight and not c.broad]
        if lead_in > 0 and asked:
            concepts = [c for c, start in zip(concepts, starts, strict=True) if start >= lead_in or c.alternatives]
        return concepts

    def _joined(
        self, content: list[tuple[str, str]], position: int, meanings: dict[int, dict[str, float]]
    ) -> _Concept | None:
        """The word at `position` and the next as one compound, when the first is no word of its own (nothing
        found, and rare in Norwegian) and the two together mean something ("innfarts parkerng" →
        innfartsparkering; not "små bedrifter"); else None."""
        if position + 1 >= len(content) or position + 1 in meanings:
            return None
        first, second = content[position][0], content[position + 1][0]
        if not first.isalpha() or not second.isalpha() or self._splitter.frequency(first.lower()) >= REAL_WORD_ZIPF:
            return None
        if self._concept(first).alternatives:
            return None
        joined = self._concept(f"{first}{second}".lower())
        return joined if joined.alternatives and not joined.uncovered else None

    @staticmethod
    def _turn(tokens: list[Token], text: str) -> int:
        """Where the question proper starts after a lead-in of at least two words: a turn of phrase (`TURNS`),
        or else the closing question after sentences that tell the asker's situation ("Noen i kommunestyret
        mener … . Står det noe om …?"); 0 without one. `text` is what the tokens' places refer to."""
        words = [fold(token.surface) for token in tokens]
        for start in range(2, len(words)):
            if any(tuple(words[start : start + len(turn)]) == turn for turn in TURNS):
                return start
        if text.rstrip().endswith("?"):
            for start in range(len(tokens) - QUESTION_WORDS, 1, -1):  # "… langs fv. 128?" is no new sentence
                if _SENTENCE_BREAK.search(text[tokens[start - 1].end : tokens[start].start]):
                    return start
        return 0

    def _without_introduction(self, query: str, tokens: list[Token]) -> list[Token]:
        """The question without the asker's role or workplace ("Som landbruksrådgiver lurer jeg …", "Hei, jeg jobber
        som rektor og …", "Jeg sitter i regionrådet og …"): who asks is not what is asked, and a role can be a
        subject the agreement lacks."""
        words = [fold(token.surface) for token in tokens]
        text = normalise(query)  # what the tokens' places refer to
        for verb in range(1, min(len(tokens), MAX_ROLE_WORDS + 1)):  # "Sjefen min spør …", "Ordføreren lurer på …"
            if words[verb] in ASKING_VERBS and all(self._says_who_or_where(t.surface) for t in tokens[:verb]):
                return tokens[verb + 1 :]
        for start in (0, 1):  # at the start, or after a word and a comma ("hei, …", "ok, …"): not "de som …"
            if start and (len(tokens) < 2 or "," not in text[tokens[0].end : tokens[1].start]):
                break
            for opening in WORKPLACE_OPENINGS:
                if tuple(words[start : start + len(opening)]) == opening:
                    end = self._workplace_end(text, tokens, start + len(opening))
                    if end > start + len(opening):
                        return tokens[:start] + tokens[end:]
            for opening in INTRODUCTIONS:
                if tuple(words[start : start + len(opening)]) != opening:
                    continue
                end = begin = start + len(opening)
                while end < len(tokens) and end - begin < MAX_ROLE_WORDS:
                    if (
                        tokens[end].surface in self._lexicon.stopwords
                        or "," in text[tokens[end - 1].end : tokens[end].start]
                    ):
                        break
                    end += 1
                if end == begin:
                    return tokens
                return tokens[:start] + tokens[self._workplace_end(text, tokens, end) :]
        return tokens

    def _workplace_end(self, text: str, tokens: list[Token], end: int) -> int:
        """Where the asker's workplace after the role ends (`WORKPLACE_LINKS`); `end` when there is none."""
        if end >= len(tokens) or fold(tokens[end].surface) not in WORKPLACE_LINKS:
            return end
        for stop in range(end + 1, min(len(tokens), end + 1 + MAX_WORKPLACE_WORDS)):
            phrase = tokens[end + 1 : stop + 1]
            if not all(self._says_who_or_where(token.surface) for token in phrase):
                return end
            if stop + 1 < len(tokens) and (
                "," in text[tokens[stop].end : tokens[stop + 1].start] or tokens[stop + 1].surface == "og"
            ):
                return stop + 1
        return end

    def _says_who_or_where(self, word: str) -> bool:
        """Filler, a place, a party, a kind of public body, or a word the agreement lacks: not a subject."""
        if word in self._lexicon.stopwords:
            return True
        concept = self._concept(word)
        return concept.uncovered or not concept.alternatives or set(concept.alternatives) <= self._context_keys

    def _concept(self, word: str) -> _Concept:
        if self._is_uncovered(word):
            return _Concept(word, uncovered=True)
        concept = _Concept(word, self._alternatives(word))
        for part in self._splitter.split(word)[:2]:
            concept.parts.append(self._alternatives(part))
        if not concept.alternatives:
            concept.alternatives = self._typo_alternatives(word)
        return concept

    def _is_uncovered(self, word: str) -> bool:
        """A subject the agreement does not cover: listed, or a compound the agreement lacks whole that starts
        or ends with one ("kommunebudsjett", "sykehjemsplasser", "skolehelsetjenesten")."""
        key = term_key(word)
        if self._listed_uncovered(word, key):
            return True
        if key in self._postings or key in self._synonyms:
            return False
        parts = self._splitter.split(word)[:2]  # "skolehelsetjenesten" → skole + helsetjenesten
        if len(parts) > 1:
            return any(self._listed_uncovered(part, term_key(part)) for part in parts)
        return self._starts_uncovered(word.lower())

    def _starts_uncovered(self, word: str) -> bool:
        """A compound common enough to stay whole for the splitter ("skattesatsen") that starts with a listed word
        and goes on with a common one (after a linking -s-/-e-): about the listed subject all the same."""
        for cut in range(MIN_UNCOVERED_START, len(word) - MIN_UNCOVERED_START + 1):
            if fold(word[:cut]) not in self._uncovered_words:
                continue
            rest = word[cut:]
            for head in (rest, rest[1:] if rest[0] in "se" else ""):
                if len(head) >= MIN_UNCOVERED_START and self._splitter.frequency(head) >= REAL_WORD_ZIPF:
                    return True
        return False

    def _listed_uncovered(self, word: str, key: str) -> bool:
        """A word of `uncovered.yaml`: its key, and the same word a letter beyond the key, for the stemmer
        gives words apart one key ("leder" and "ledighet": "led"), and a guide is no unemployment; a word that
        is no more than the key counts only as listed."""
        folded = fold(word.lower())
        for listed in self._uncovered_keys.get(key, ()):
            if folded == listed.split()[0]:  # "slå sammen" is listed under "slå" ("sammen" is filler)
                return True
            if len(folded) <= len(key):  # the bare key: "vær" is "været" (weather) or "være" (to be)
                continue
            shared = min(len(folded), len(listed), len(key) + 1)
            if folded[:shared] == listed[:shared]:
                return True
        return False

    def _alternatives(self, word: str) -> dict[str, float]:
        key = term_key(word)
        alternatives: dict[str, float] = {}
        if key in self._postings:
            alternatives[key] = OWN
        for meant, quality in self._synonyms.get(key, {}).items():
            alternatives[meant] = max(alternatives.get(meant, 0.0), quality)
        if not alternatives:
            for form in (*base_forms(word), *bokmal_forms(word)):
                for meant, quality in self._alternatives_for_key(term_key(form)).items():
                    alternatives[meant] = max(alternatives.get(meant, 0.0), DERIVED * quality)
        return alternatives

    def _typo_alternatives(self, word: str) -> dict[str, float]:
        """Words of the agreement or the lexicon within a few typing errors; the allowance grows with length. Two
        letters swapped are one error ("mobilitestanalyse"), as people make it."""
        folded = fold(word)
        alternatives: dict[str, float] = {}
        for key in self._undoubled.get(undouble(term_key(word)), ()):
            for meant, meant_quality in self._alternatives_for_key(key).items():
                alternatives[meant] = max(alternatives.get(meant, 0.0), TYPO_BY_DISTANCE[1] * meant_quality)
        allowed = 0 if len(folded) <= 5 else 1 if len(folded) <= 8 else 2
        if not allowed or alternatives or self._splitter.frequency(word) >= REAL_WORD_ZIPF:
            return alternatives  # a real word is not a typo: "renovasjon" is not "innovasjon"
        # The word as typed, and its stem: a typo in an inflected form ("digitalisringen") is as far from the
        # agreement's inflection as the ending differs, but one error from its stem (one only: a stem is short).
        found: dict[str, int] = {}
        for typed, within in ((folded, allowed), (fold(term_key(word)), 1)):
            for surface, distance, _ in process.extract(
                typed, self._fuzzy_choices, scorer=OSA.distance, score_cutoff=within, limit=8
            ):
                found[surface] = min(found.get(surface, int(distance)), int(distance))
        for surface, edits in found.items():
            quality = TYPO_BY_DISTANCE[edits] if edits else OWN
            for key in self._surface_keys[surface]:
                for meant, meant_quality in self._alternatives_for_key(key).items():
                    alternatives[meant] = max(alternatives.get(meant, 0.0), quality * meant_quality)
        return alternatives

    def _alternatives_for_key(self, key: str) -> dict[str, float]:
        alternatives = dict(self._synonyms.get(key, {}))
        if key in self._postings:
            alternatives[key] = OWN
        return alternatives

    def _best_by_document(self, alternatives: dict[str, float], matched: dict[int, set[str]]) -> dict[int, float]:
        best: dict[int, float] = {}
        for key, quality in alternatives.items():
            for index, weight in self._postings.get(key, {}).items():
                best[index] = max(best.get(index, 0.0), quality * weight)
                matched[index].add(key)
        return best

    def _idf_of(self, alternatives: dict[str, float]) -> float:
        known = [self._idf[key] for key in alternatives if key in self._idf]
        return max(known) if known else self.unknown_idf

    def _concept_weight(self, concept: _Concept, *, abbreviation: bool = False) -> float:
        """A word's rarity. A compound the agreement knows only half of weighs as an unknown word:
        "ordfører" must not shrink to the weight of "fører"; an unknown word that is common in Norwegian
        weighs as filler."""
        if concept.uncovered:
            concept.rarity = 1.0
            return self.unknown_idf
        if not concept.alternatives and term_key(concept.word) in self._context_keys:
            return 0.0  # a place the agreement does not name says where, not what
        if not concept.alternatives and len(concept.word) <= SHORT_WORD and not abbreviation:
            return 0.0
        if concept.word.isdigit() and len(concept.word) <= 2:
            return 0.0  # a lone number is no subject ("1=1"); measure numbers and "ring 4" are read whole
        if not concept.alternatives and (not concept.parts or not all(concept.parts)):
            zipf = (
                max(
                    self._splitter.frequency(form)
                    for form in (
                        concept.word,
                        *bokmal_forms(concept.word),
                        *uninflected_forms(concept.word),
                        *respelled_forms(concept.word),
                        *native_forms(concept.word),
                    )
                )
                if " " not in concept.word
                else 0.0
            )
            concept.rarity = min(1.0, max(0.0, (COMMON_ZIPF - zipf) / (COMMON_ZIPF - RARE_ZIPF)))
            return self.unknown_idf * (FILLER_SHARE + (1 - FILLER_SHARE) * concept.rarity)
        return self._idf_of({**concept.alternatives, **{key: 1.0 for part in concept.parts for key in part}})

    def _lexical(self, concepts: list[_Concept]) -> _Lexical:
        """Documents by coverage, and how much of the question the agreement holds at all: each word where
        it is best, a compound's parts only where they stand together ("kulturskole" is not answered by a
        measure on culture and another on schools)."""
        total = sum(concept.weight for concept in concepts)
        scores: dict[int, float] = defaultdict(float)
        matched: dict[int, set[str]] = defaultdict(set)
        answerable = missing_rare = uncovered = context = partial = 0.0
        specific_found = False
        subject, subject_found = max(concepts, key=lambda concept: concept.weight), False
        for concept in concepts:
            best = self._best_by_document(concept.alternatives, matched)
            anywhere = max(best.values(), default=0.0)
            whole = anywhere > 0  # found as itself, or as a compound every part of which is found
            if concept.parts:
                # Each part counts by its rarity: in "trafikksikkerhetsarbeid" the first part is the subject.
                part_weights = [self._idf_of(part) for part in concept.parts]
                if concept.parts[0]:  # "togavganger" is about trains where the agreement has no "avganger"
                    part_weights = [
                        w if part or i == 0 else HEAD_SHARE * w
                        for i, (part, w) in enumerate(zip(concept.parts, part_weights, strict=True))
                    ]
                part_total = sum(part_weights)
                combined: dict[int, float] = defaultdict(float)
                for part, part_weight in zip(concept.parts, part_weights, strict=True):
                    for index, value in self._best_by_document(part, matched).items():
                        combined[index] += part_weight * value / part_total
                for index, value in combined.items():
                    best[index] = max(best.get(index, 0.0), COMPOUND * value)
                anywhere = max(anywhere, COMPOUND * max(combined.values(), default=0.0))
                # The first part says what the compound is about: "bussruter" is about buses even where the
                # agreement has no "ruter", but "sykehjemsplasser" is not about the agreement's "plasser".
                whole = whole or (anywhere > 0 and bool(concept.parts[0]))
                if anywhere and not whole:
                    partial += concept.weight
                    missing_rare += concept.weight * concept.rarity * part_weights[0] / part_total
            answerable += concept.weight * anywhere
            if not anywhere:
                missing_rare += concept.weight * concept.rarity
            if concept.uncovered:
                uncovered += concept.weight
            elif whole and concept.broad:
                context += concept.weight
            elif whole:
                specific_found = True
            if concept is subject:
                subject_found = whole
            for index, value in best.items():
                scores[index] += concept.weight * value
        if not total:  # nothing but common words the agreement does not use ("hvordan går det")
            return _Lexical({}, matched, 0.0, 0.0, False, uncovered > 0, specific_found)
        coverage = {
            index: value / total * KIND_PRIOR[self._documents[index].source.kind] for index, value in scores.items()
        }
        return _Lexical(
            coverage,
            matched,
            answerable / total,
            missing_rare / total,
            subject_found,
            uncovered / total,
            specific_found,
            context / total,
            partial / total,
        )

    def evidence(self, query: str) -> Evidence | None:
        """Every signal the decision weighs for a question (None when it has no content words); for the
        calibration script and for tests."""
        concepts = self._concepts(query)
        if not concepts:
            return None
        return self._evidence(query, self._lexical(concepts), len(concepts))[0]

    def _evidence(
        self, query: str, lexical: _Lexical, words: int, *, settled_early: bool = False
    ) -> tuple[Evidence, dict[int, float]]:
        """With `settled_early`, a question the lexical signals already abstain on is not embedded (its
        evidence then lacks the semantic signals, which could not change the decision)."""
        lexical_only = Evidence(
            coverage=lexical.share,
            missing_rare=lexical.missing_rare,
            subject_found=lexical.subject_found,
            uncovered=lexical.uncovered,
            specific_found=lexical.specific_found,
            context=lexical.context,
            partial=lexical.partial,
            brevity=1.0 / max(1, words),
            asks_fact=self.asks_fact(query),
            best_coverage=max(lexical.coverage.values(), default=0.0),
            similarity=0.0,
            margin=0.0,
            semantic=False,
        )
        if self._semantic is None or (settled_early and abstains_whatever_it_means(lexical_only)):
            return lexical_only, {}
        similarities = None
        try:
            similarities = self._semantic.similarities(self._with_native_spelling(query))
        except Exception as error:  # a model that fails on one question must not fail the question
            logger.warning(
                "search: semantic layer failed on a question (%s); lexical search only", type(error).__name__
            )
        if similarities is None:
            return lexical_only, {}
        count = len(self._documents)
        semantic = {index: float(value) for index, value in enumerate(similarities[:count])}
        for (_, documents), value in zip(self._name_passages, similarities[count:], strict=True):
            for index in documents if words > 1 else ():  # a bare word is near any list of words
                semantic[index] = max(semantic[index], float(value))
        ordered = sorted(semantic.values(), reverse=True)
        top, second = ordered[0], ordered[1] if len(ordered) > 1 else ordered[0]
        return replace(lexical_only, similarity=top, margin=top - second, semantic=True), semantic

    def asks_fact(self, query: str) -> bool:
        """Whether the question asks for a figure, a price, a time or a procedure (`asks_for`), which the
        agreement never holds, and not what the agreement says about it (`about_agreement`). The asker's role
        is no such question: "Som rektor vil jeg vite …" does not ask who the rector is."""
        spans = self._spans(query)
        person = any(  # "hvem er landbrukssjef i kommunen?": the agreement names no one
            len(span) == 3 and span[:2] in _WHO_IS and span[2].endswith(ROLE_ENDINGS) for span in spans
        )
        inflected = any(len(span) == 1 and term_key(span[0]) in self._asks_for_keys for span in spans)
        return bool(person or inflected or spans & self._asks_for) and not spans & self._about_agreement

    def asks_about_agreement(self, query: str) -> bool:
        """Whether the question asks what the agreement says ("står det noe om …", "hva sier avtalen …")."""
        return bool(self._spans(query) & self._about_agreement)

    def _spans(self, query: str) -> set[tuple[str, ...]]:
        """The question's runs of up to MAX_FORM_WORDS words, folded, without the asker's role."""
        words = [fold(token.surface) for token in self._without_introduction(query, tokenize(query))]
        return {tuple(words[start : start + n]) for n in range(1, MAX_FORM_WORDS + 1) for start in range(len(words))}

    def _ranked(self, query: str, concepts: list[_Concept]) -> list[Hit]:
        """The decision, then the order: lexical coverage and semantic similarity fused by reciprocal rank."""
        lexical = self._lexical(concepts)
        evidence, semantic = self._evidence(query, lexical, len(concepts), settled_early=True)
        if not decide(evidence):
            return []
        coverage = lexical.coverage
        top = max(coverage.values(), default=0.0)
        floor = max(top * KEEP_FRACTION, MIN_DOCUMENT_COVERAGE)
        shown = {index for index, value in coverage.items() if value >= floor}
        fused: dict[int, float] = defaultdict(float)
        lexical_order = sorted(coverage, key=lambda index: (-round(coverage[index], 6), self._documents[index].length))
        for rank, index in enumerate(lexical_order):
            fused[index] += LEXICAL_WEIGHT / (FUSION_K + rank + 1)
        if semantic:
            best = max(semantic.values())
            if len(concepts) > 1:  # a bare word's embedding is too vague to show a part no word matched
                shown |= {index for index, value in semantic.items() if value >= best - SEMANTIC_KEEP}
            for rank, index in enumerate(sorted(semantic, key=lambda index: -semantic[index])):
                fused[index] += SEMANTIC_WEIGHT / (FUSION_K + rank + 1)
        ceiling = (LEXICAL_WEIGHT + (SEMANTIC_WEIGHT if semantic else 0.0)) / (FUSION_K + 1)
        ranked = sorted(shown, key=lambda index: (-fused[index], -coverage.get(index, 0.0)))
        return [self._hit(index, 100.0 * fused[index] / ceiling, lexical.matched[index]) for index in ranked]

    def _hit(self, index: int, score: float, keys: Iterable[str]) -> Hit:
        document = self._documents[index]
        words = sorted({word for key in keys for word in document.surfaces.get(key, ())})
        return Hit(
            document.source.id,
            document.source.kind,
            round(score, 1),
            tuple(words),
            snippet(document.source.own, words),
        )

    def suggestions(self, query: str, limit: int = 3) -> list[str]:
        """Words of the agreement spelt close to the question's unknown words, for "mente du …?"."""
        found: list[str] = []
        for token in tokenize(query):
            word = token.surface
            if word in self._lexicon.stopwords or len(word) < 4 or self.has_term(word):
                continue
            for surface, _, _ in process.extract(
                fold(word),
                self._fuzzy_choices,
                scorer=Levenshtein.normalized_distance,
                score_cutoff=0.34,
                limit=3,
            ):
                readable = self._readable(surface)
                if readable and readable not in found:
                    found.append(readable)
        return found[:limit]

    def _with_native_spelling(self, query: str) -> str:
        """The question with the agreement's æøå where a word of it was typed without ("hoyere utdanning i
        Ostfold"): the model reads "hoyere" as another word than "høyere", and the spelling as meaning."""

        def native(match: re.Match[str]) -> str:
            word = match.group()
            found = self._native.get(word.lower()) if word.isascii() else None
            return found.capitalize() if found and word[0].isupper() else found or word

        return _WORD.sub(native, query)

    def _readable(self, folded_surface: str) -> str | None:
        """The word as the agreement writes it (with æøå) for a folded spelling."""
        for document in self._documents:
            for words in document.surfaces.values():
                for word in words:
                    if fold(word) == folded_surface:
                        return word
        return None


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def snippet(text: str, matched: Sequence[str], width: int = 160) -> str:
    """The sentence that holds the first matched word, cut at a word boundary."""
    sentences = [s for line in text.splitlines() for s in _SENTENCE_END.split(line) if s.strip()]
    chosen = next(
        (s for s in sentences if any(word in s.lower() for word in matched)),
        sentences[0] if sentences else "",
    )
    chosen = chosen.strip()
    if len(chosen) <= width:
        return chosen
    cut = chosen.rfind(" ", 0, width - 1)
    return chosen[: cut if cut > 0 else width - 1].rstrip(",;:") + "…"
