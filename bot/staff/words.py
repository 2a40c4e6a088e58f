"""Words taught in the chat (/laer): checked, merged into the shipped lexicon, exported as YAML.

The shipped `knowledge/synonyms.yaml` stays the default; taught words live in the database and join the
lexicon as extra synonym groups, so the search needs nothing new: its index is rebuilt with them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import yaml

from bot import texts
from bot.render import escape
from bot.search.analysis import term_key, tokenize
from bot.search.lexicon import Lexicon, SynonymGroup
from bot.storage import TaughtWord

MAX_LENGTH = 60  # characters on each side of "="
MAX_WORDS = 3  # the search matches synonym phrases of up to three words
_WORD_CHARACTERS = re.compile(r"^[^\W_]+(?:[ '’-]+[^\W_]+)*$")
_HAS_WORD = re.compile(r"[^\W_]")


class TeachingError(ValueError):
    """Input that cannot be taught; the message (Norwegian, HTML-escaped) says why."""


@dataclass(frozen=True)
class Lesson:
    word: str  # normalised: lower-case, single spaces
    means: tuple[str, ...]  # single words of the agreement


def normalise(text: str) -> str:
    return " ".join(text.lower().split())


def content_keys(text: str, lexicon: Lexicon) -> tuple[str, ...]:
    """The search's keys of a word or phrase, filler dropped (as the index keys a synonym)."""
    return tuple(term_key(t.surface) for t in tokenize(text) if t.surface not in lexicon.stopwords)


def check_side(text: str, *, list_allowed: bool) -> str:
    """One side of "=", normalised; `TeachingError` for empty, over-long, markup-only or odd characters."""
    cleaned = normalise(text)
    if not cleaned:
        raise TeachingError(texts.TEACH_EMPTY)
    if len(cleaned) > MAX_LENGTH:
        raise TeachingError(texts.TEACH_TOO_LONG.format(text=escape(cleaned[:20]), most=MAX_LENGTH))
    if not _HAS_WORD.search(cleaned):
        raise TeachingError(texts.TEACH_MARKUP_ONLY.format(text=escape(cleaned)))
    parts = [part.strip() for part in cleaned.split(",")] if list_allowed else [cleaned]
    if not all(_WORD_CHARACTERS.match(part) for part in parts):
        raise TeachingError(texts.TEACH_BAD_CHARACTERS.format(text=escape(cleaned)))
    return cleaned


def parse_lesson(args: str, lexicon: Lexicon) -> Lesson:
    """ "skysstasjon = kollektivterminal" → a lesson; `TeachingError` says what is wrong with the input."""
    left, separator, right = args.partition("=")
    if not separator:
        raise TeachingError(texts.TEACH_USAGE)
    word = check_side(left, list_allowed=False)
    meaning = check_side(right, list_allowed=True)
    keys = content_keys(word, lexicon)
    if not keys:
        raise TeachingError(texts.TEACH_ONLY_FILLER.format(text=escape(word)))
    if len(word.split()) > MAX_WORDS:  # as typed: a filler word among them ("a b c d") counts too
        raise TeachingError(texts.TEACH_TOO_MANY_WORDS.format(most=MAX_WORDS))
    means: list[str] = []
    for token in tokenize(meaning.replace(",", " ")):
        if token.surface not in lexicon.stopwords and token.surface not in means:
            means.append(token.surface)
    if not means:
        raise TeachingError(texts.TEACH_ONLY_FILLER.format(text=escape(meaning)))
    return Lesson(word, tuple(means))


def with_taught(base: Lexicon, taught: Iterable[TaughtWord]) -> Lexicon:
    """The shipped lexicon with the taught words as extra synonym groups (line 0: not from a file)."""
    extra = tuple(SynonymGroup((word.word,), word.means, 0) for word in taught)
    return replace(base, synonyms=base.synonyms + extra) if extra else base


def shipped_meaning(lexicon: Lexicon, word: str) -> tuple[str, ...] | None:
    """What the shipped lexicon makes of a word people type (matched as the search keys it), if anything."""
    keys = content_keys(word, lexicon)
    for group in lexicon.synonyms:
        if any(content_keys(listed, lexicon) == keys for listed in group.words):
            return group.means
    return None


def export_yaml(taught: Iterable[TaughtWord]) -> str:
    """Taught words in knowledge/synonyms.yaml's format, for a developer to move into the repository."""

    def flow(items: Iterable[str]) -> str:
        return str(yaml.safe_dump(list(items), default_flow_style=True, allow_unicode=True, width=1000)).strip()

    lines = ["# Taught in the chat with /laer; move these groups into knowledge/synonyms.yaml to ship them.", "groups:"]
    words = list(taught)
    for word in words:
        lines.append(f"  - words: {flow([word.word])}")
        lines.append(f"    means: {flow(word.means)}")
    if not words:
        lines[-1] = "groups: []"
    return "\n".join(lines) + "\n"
