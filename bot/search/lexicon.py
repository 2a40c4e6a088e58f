"""The curated word lists: filler words the search ignores, everyday words mapped to the agreement's words, and
the names of what the agreement names (organisations, places, programmes) as staff say them.

All live in `knowledge/` as YAML so that staff extend them without touching code.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot import datafile
from bot.knowledge import KNOWLEDGE_DIR
from bot.search.analysis import digraph_spelling, fold

STOPWORDS_FILE = KNOWLEDGE_DIR / "stopwords.yaml"
SYNONYMS_FILE = KNOWLEDGE_DIR / "synonyms.yaml"
NAMES_FILE = KNOWLEDGE_DIR / "names.yaml"
UNCOVERED_FILE = KNOWLEDGE_DIR / "uncovered.yaml"
MAX_UNCOVERED_WORDS = 3
MAX_FORM_WORDS = 4  # the longest question form (`asks_for`) or reference to the agreement (`about_agreement`)
NAME_KINDS = ("organisation", "place", "programme", "abbreviation")
MAX_NAME_WORDS = 6  # the longest phrase the search matches as one name
MAX_DESCRIPTION_WORDS = 10  # the longest description of what a name is


@dataclass(frozen=True)
class SynonymGroup:
    words: tuple[str, ...]  # what people type
    means: tuple[str, ...]  # what the agreement says
    line: int  # where the group starts in the file, for error messages and tests


@dataclass(frozen=True)
class Name:
    """Something the agreement names, and what staff call it."""

    name: str  # as the agreement writes it
    kind: str
    said: tuple[str, ...]
    line: int
    path: Path
    described: tuple[str, ...] = ()  # what it is, in words that do not name it ("the trotting track in Mysen")


@dataclass(frozen=True)
class UncoveredWord:
    """A subject the agreement does not cover, as people write it, with where it stands in the file."""

    word: str
    subject: str
    line: int
    field: str  # "subjects[3].words[2]"
    path: Path


@dataclass(frozen=True)
class Uncovered:
    """Subjects the agreement does not cover, the words that only say where or who (context), and the forms
    of question that ask for what it never holds (figures, prices, times, procedures), folded as `fold`."""

    subjects: tuple[UncoveredWord, ...] = ()
    context: tuple[str, ...] = ()
    asks_for: tuple[tuple[str, ...], ...] = ()
    about_agreement: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]  # single words
    stop_phrases: tuple[tuple[str, ...], ...]  # multi-word filler ("kan du", "står det")
    synonyms: tuple[SynonymGroup, ...]
    names: tuple[Name, ...] = ()
    uncovered: Uncovered = Uncovered()


def load_lexicon(
    stopwords_path: Path = STOPWORDS_FILE,
    synonyms_path: Path = SYNONYMS_FILE,
    names_path: Path = NAMES_FILE,
    uncovered_path: Path = UNCOVERED_FILE,
) -> Lexicon:
    """Load and validate the lists; raises `datafile.DataFileError` naming file, line and field."""
    stop_root = datafile.load(stopwords_path)
    single: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for key in stop_root.field_names():
        for entry in stop_root.required(key).texts():
            words = tuple(entry.lower().split())
            if len(words) == 1:
                single.update({words[0], fold(words[0]), digraph_spelling(words[0])})  # "pa", "paa": without æøå
            else:
                phrases.append(words)

    synonym_root = datafile.load(synonyms_path)
    groups = []
    for node in synonym_root.required("groups").items():
        words = tuple(word.lower() for word in node.required("words").texts())
        means = tuple(word.lower() for word in node.required("means").texts())
        groups.append(SynonymGroup(words, means, node.line))
    if not groups:
        raise synonym_root.required("groups").fail("at least one group is needed")
    return Lexicon(
        frozenset(single), tuple(phrases), tuple(groups), load_names(names_path), load_uncovered(uncovered_path)
    )


def load_uncovered(path: Path = UNCOVERED_FILE) -> Uncovered:
    """The file of subjects the agreement does not cover; each entry's form is checked here, whether a word
    stands in the agreement by the index that knows the agreement's words (`SearchIndex`)."""
    root = datafile.load(path)
    words: list[UncoveredWord] = []
    seen: dict[str, int] = {}
    subjects = root.required("subjects").items()
    if not subjects:
        raise root.required("subjects").fail("at least one subject is needed")
    for node in subjects:
        subject = node.required("subject").text()
        words_node = node.required("words")
        for position, word in enumerate(words_node.texts()):
            field = f"{words_node.field}[{position}]"
            if len(word.split()) > MAX_UNCOVERED_WORDS:
                raise datafile.DataFileError(path, words_node.line, field, f"more than {MAX_UNCOVERED_WORDS} words")
            squashed = _squash(word)
            if squashed in seen:
                raise datafile.DataFileError(
                    path, words_node.line, field, f"{word!r} is listed twice (first on line {seen[squashed]})"
                )
            seen[squashed] = words_node.line
            words.append(UncoveredWord(squashed, subject, words_node.line, field, path))
    context_node = root.optional("context")
    context = tuple(_squash(word) for word in context_node.texts()) if context_node else ()
    return Uncovered(tuple(words), context, _phrases(root, "asks_for"), _phrases(root, "about_agreement"))


def _phrases(root: datafile.Node, key: str) -> tuple[tuple[str, ...], ...]:
    """An optional list of short phrases, each as its folded words."""
    node = root.optional(key)
    if node is None:
        return ()
    phrases = []
    for position, text in enumerate(node.texts()):
        words = tuple(fold(word) for word in _squash(text).split())
        if not words or len(words) > MAX_FORM_WORDS:
            raise datafile.DataFileError(
                node.path, node.line, f"{node.field}[{position}]", f"1 to {MAX_FORM_WORDS} words, not {len(words)}"
            )
        phrases.append(words)
    return tuple(phrases)


def load_names(path: Path = NAMES_FILE) -> tuple[Name, ...]:
    """The names file; each entry's fields checked here, whether its name stands in the agreement by
    `check_names` (which needs the agreement)."""
    root = datafile.load(path)
    names: list[Name] = []
    seen: dict[str, int] = {}
    for node in root.required("names").items():
        name_node = node.required("name")
        name = name_node.text()
        if name.lower() in seen:
            raise name_node.fail(f"{name!r} is listed twice (first on line {seen[name.lower()]})")
        seen[name.lower()] = name_node.line
        kind_node = node.required("kind")
        kind = kind_node.text()
        if kind not in NAME_KINDS:
            raise kind_node.fail(f"{kind!r} is not one of {', '.join(NAME_KINDS)}")
        said = _name_phrases(node.required("said"), MAX_NAME_WORDS)
        described_node = node.optional("described")
        described = _name_phrases(described_node, MAX_DESCRIPTION_WORDS) if described_node is not None else ()
        names.append(Name(name, kind, said, node.line, path, described))
    return tuple(names)


def _name_phrases(node: datafile.Node, most_words: int) -> tuple[str, ...]:
    """A list of phrases, each refused at its line if longer than `most_words`."""
    phrases = tuple(node.texts())
    for position, phrase in enumerate(phrases):
        if len(phrase.split()) > most_words:
            raise datafile.DataFileError(
                node.path, node.line, f"{node.field}[{position}]", f"more than {most_words} words"
            )
    return phrases


def _squash(text: str) -> str:
    return " ".join(text.lower().split())


def check_names(names: Iterable[Name], agreement_texts: Iterable[str]) -> None:
    """Every name must stand in the agreement as written (case aside); else a `DataFileError` at its line."""
    everything = _squash(" ".join(agreement_texts))
    for position, entry in enumerate(names):
        if _squash(entry.name) not in everything:
            raise datafile.DataFileError(
                entry.path, entry.line, f"names[{position}].name", f"{entry.name!r} does not stand in the agreement"
            )
