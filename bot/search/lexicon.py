"""The curated word lists: filler words the search ignores and everyday words mapped to the agreement's words.

Both live in `knowledge/` as YAML so that staff extend them without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot import datafile
from bot.knowledge import KNOWLEDGE_DIR

STOPWORDS_FILE = KNOWLEDGE_DIR / "stopwords.yaml"
SYNONYMS_FILE = KNOWLEDGE_DIR / "synonyms.yaml"


@dataclass(frozen=True)
class SynonymGroup:
    words: tuple[str, ...]  # what people type
    means: tuple[str, ...]  # what the agreement says
    line: int  # where the group starts in the file, for error messages and tests


@dataclass(frozen=True)
class Lexicon:
    stopwords: frozenset[str]  # single words
    stop_phrases: tuple[tuple[str, ...], ...]  # multi-word filler ("kan du", "står det")
    synonyms: tuple[SynonymGroup, ...]


def load_lexicon(stopwords_path: Path = STOPWORDS_FILE, synonyms_path: Path = SYNONYMS_FILE) -> Lexicon:
    """Load and validate both lists; raises `datafile.DataFileError` naming file, line and field."""
    stop_root = datafile.load(stopwords_path)
    single: set[str] = set()
    phrases: list[tuple[str, ...]] = []
    for key in stop_root.field_names():
        for entry in stop_root.required(key).texts():
            words = tuple(entry.lower().split())
            if len(words) == 1:
                single.add(words[0])
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
    return Lexicon(frozenset(single), tuple(phrases), tuple(groups))
