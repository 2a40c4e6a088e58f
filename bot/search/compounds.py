"""Splitting Norwegian compounds, so "lærling" finds "lærlingeplasser" and "bildeling" finds "delingsordninger for bil".

Norwegian writes compounds as one word and no splitter exists on PyPI, so the halves are checked against
wordfreq's bokmål frequency list. A word is split only when it is rarer than its parts: "syklist" is a
common word in its own right and must not become "syk" + "list", "videregående" must not yield "gående".
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from functools import cache, lru_cache
from pathlib import Path

MIN_PART = 3
LINKING = ("s", "e")  # fugemorfem: trafikksikkerhet-s-utvalg, lærling-e-plass
# A split must leave the whole word this much rarer (zipf) than its rarest part: "ordfører" (4.4) is a word
# of its own, not ord (5.4) + fører (5.0); "skolemat" (3.0) is skole + mat.
RARER_BY = 1.0
KNOWN_ZIPF = 2.0  # a part must be at least this common to count as a word
# Inflectional endings that happen to be words or near-words: "miljøene" is not miljø + ene.
NOT_HEADS = frozenset(
    {"ene", "ane", "ens", "ende", "ere", "est", "inger", "ingar", "ingen", "ing", "inga", "het", "else", "lig"}
)


Frequency = Callable[[str], float]
Respellings = Callable[[str], Iterable[str]]


def wordfreq_zipf() -> Frequency:
    """The bokmål frequency list as a zipf lookup (imported lazily: loading it takes time and memory, see the
    README)."""
    frequencies = _bokmal_frequencies()

    def zipf(word: str) -> float:
        value = frequencies.get(word)
        return math.log10(value) + 9 if value else 0.0

    return zipf


@cache
def _bokmal_frequencies() -> dict[str, float]:
    """wordfreq's "best" bokmål list (its large list), read straight from the package's data file as
    `wordfreq.get_frequency_dict("nb")` reads it: importing `wordfreq` itself (ftfy, langcodes, regex) took a
    fifth of a second of the bot's start-up. Read once per process, as wordfreq keeps it (the suggestions for
    an unanswered question ask for it again). Anything unexpected falls back to wordfreq's own reader, and
    tests/search/test_compounds.py checks the two agree."""
    import gzip
    from importlib.util import find_spec

    spec = find_spec("wordfreq")
    folders = list(spec.submodule_search_locations or []) if spec else []
    path = Path(folders[0]) / "data" / "large_nb.msgpack.gz" if folders else None
    try:
        import msgpack  # type: ignore[import-untyped]

        assert path is not None
        with gzip.open(path, "rb") as packed:
            data = msgpack.load(packed, raw=False)
        header = data[0]
        if not isinstance(header, dict) or header.get("format") != "cB" or header.get("version") != 1:
            raise ValueError(f"unexpected header {header!r}")
    except (ImportError, AssertionError, OSError, ValueError, IndexError):
        from wordfreq import get_frequency_dict

        return get_frequency_dict("nb", wordlist="best")
    frequencies: dict[str, float] = {}
    for index, bucket in enumerate(data[1:]):
        frequency = 10 ** (-index / 100)  # wordfreq's cB_to_freq(-index)
        for word in bucket:
            frequencies[word] = frequency
    return frequencies


class CompoundSplitter:
    """Splits a word into its known parts (recursively), or leaves it whole."""

    def __init__(self, zipf: Frequency, respellings: Respellings = lambda word: ()) -> None:
        """`respellings` gives a part's other spellings for the frequency list: the list is bokmål, and a
        nynorsk part ("satsingar", "tilbod") must count as the word it is, not as a rare one."""
        self._zipf = zipf
        self._respellings = respellings
        self.split = lru_cache(maxsize=100_000)(self._split)

    def frequency(self, word: str) -> float:
        """The word's zipf frequency in bokmål (0 for a word the list does not have)."""
        return self._zipf(word)

    def _part_frequency(self, part: str) -> float:
        """The part's zipf, or its bokmål spelling's when that is higher."""
        return max([self._zipf(part), *(self._zipf(form) for form in self._respellings(part))])

    def _part_zipf(self, part: str) -> tuple[str, float]:
        """The part as a word, allowing a linking -s-/-e- at its end; its zipf."""
        best = (part, self._part_frequency(part))
        for link in LINKING:
            # A genitive ("samferdsels", "universitets") is the word itself with a linking -s-; an -e is
            # stripped only from a rare part: "vare" in varelogistikk is a word, not "var" + e.
            if link == "e" and best[1] >= KNOWN_ZIPF + 1:
                continue
            if part.endswith(link) and len(part) - 1 >= MIN_PART:
                stripped = part[:-1]
                score = self._part_frequency(stripped)
                if score > best[1]:
                    best = (stripped, score)
        return best

    def _split(self, word: str) -> tuple[str, ...]:
        """The parts of a compound, outermost first, e.g. trafikksikkerhetsutvalg →
        (trafikksikkerhet, utvalg, trafikk, sikkerhet); () if the word is not a compound."""
        if len(word) < 2 * MIN_PART or not word.isalpha():
            return ()
        whole = self._zipf(word)
        best: tuple[float, str, str] | None = None
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[cut:]
            if head in NOT_HEADS:
                continue
            head_zipf = self._part_frequency(head)
            if head_zipf < KNOWN_ZIPF:
                continue
            modifier, modifier_zipf = self._part_zipf(word[:cut])
            if modifier_zipf < KNOWN_ZIPF and not self.split(modifier):
                continue
            weakest = min(head_zipf, modifier_zipf if modifier_zipf >= KNOWN_ZIPF else KNOWN_ZIPF)
            if whole > weakest - RARER_BY:
                continue
            if best is None or weakest > best[0]:
                best = (weakest, modifier, head)
        if best is None:
            return ()
        _, modifier, head = best
        return (modifier, head, *self.split(modifier), *self.split(head))

    def head(self, word: str) -> str | None:
        """The last part of a compound even when the first is unknown ("svennebrev" → "brev"), for
        completing hyphenated pairs: "fag- og svennebrev" means fagbrev and svennebrev."""
        parts = self.split(word)
        if parts:
            return parts[1]
        for cut in range(MIN_PART, len(word) - MIN_PART + 1):
            head = word[cut:]
            if head not in NOT_HEADS and self._zipf(head) >= KNOWN_ZIPF + 1:
                return head
        return None
