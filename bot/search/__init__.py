"""Searching the agreement in everyday Norwegian (pure Python: no Telegram here)."""

from __future__ import annotations

from bot.knowledge import Agreement, load_agreement
from bot.search.compounds import CompoundSplitter, wordfreq_zipf
from bot.search.engine import Hit, SearchIndex, SourceDocument, documents_from_agreement
from bot.search.lexicon import Lexicon, load_lexicon

__all__ = ["Hit", "Lexicon", "SearchIndex", "SourceDocument", "build_index", "load_agreement"]


def build_index(agreement: Agreement | None = None, lexicon: Lexicon | None = None) -> SearchIndex:
    """The index over the shipped knowledge (or the given agreement and lexicon)."""
    agreement = agreement or load_agreement()
    lexicon = lexicon or load_lexicon()
    return SearchIndex(documents_from_agreement(agreement), lexicon, CompoundSplitter(wordfreq_zipf()))
