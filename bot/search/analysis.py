"""Turning Norwegian text into comparable terms: tokens, folding of æøå, stems.

A term key is what two spellings of the same word share: "Skolene", "skoler" and "skole" → "skol";
"lærlinger" and "laerlinger" → "laerling"; "sykkel" and "sykler" → "sykl".
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

_STEMMER = Stemmer.Stemmer("norwegian")

# Letters and digits; a hyphen directly after a word ("fag- og svennebrev") is kept as a marker.
_TOKEN = re.compile(r"[^\W_]+(?:-(?![^\W_]))?")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "−": "-"})
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ä": "ae", "ö": "o", "é": "e", "è": "e", "ü": "u"})
_DIGRAPHS = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa"})
_CONSONANTS = set("bcdfghjkmnpqrstvwxz")


@dataclass(frozen=True)
class Token:
    """One word as it stands in the text, with its place (for marking matched words)."""

    surface: str  # lower-cased, as written
    start: int
    end: int
    hanging_hyphen: bool = False  # "fag-" in "fag- og svennebrev"


def normalise(text: str) -> str:
    """Unicode-normalised, lower-cased, one kind of dash."""
    return unicodedata.normalize("NFKC", text).translate(_DASHES).lower()


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(normalise(text)):
        word = match.group()
        hanging = word.endswith("-")
        tokens.append(Token(word.rstrip("-"), match.start(), match.start() + len(word.rstrip("-")), hanging))
    return tokens


def fold(word: str) -> str:
    """Spelling without æøå, as typed on a foreign keyboard: "lærling"/"laerling" and "båt"/"baat"/"bat" meet."""
    folded = word.translate(_FOLD)
    return folded.replace("aa", "a").replace("oe", "o")


def _contract_el(stem: str) -> str:
    """Norwegian drops the e of -el before an ending (sykkel → sykler, regel → regler); use the short form."""
    if len(stem) >= 5 and stem.endswith("el") and stem[-3] in _CONSONANTS and stem[-3] != "l":
        core = stem[:-2]
        if len(core) >= 2 and core[-1] == core[-2]:
            core = core[:-1]
        return core + "l"
    return stem


@lru_cache(maxsize=65536)
def term_key(word: str) -> str:
    """The key under which a word is indexed and looked up."""
    word = word.lower()
    if word.isdigit():
        return word
    return fold(_contract_el(_STEMMER.stemWord(word)))


def strip_derivation(word: str) -> str | None:
    """The verb behind a noun in -ing ("sykling" → "sykl"), which Snowball keeps whole; None if there is none."""
    for suffix in ("ingene", "ingen", "inger", "ing"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return None


_ENDINGS = ("ene", "ane", "er", "ar", "en", "et", "an", "a")  # "-an": dialect plural, "togan"
ADJECTIVE_BASE = 6  # "-e" of an adjective's plural off a base this long: "konkrete" → "konkret" (not "levere")
_COMPARISON = ("este", "ere", "est")  # "grønnere", "tryggest": the adjective the agreement uses
_DOUBLED = "bdfgklmnprst"  # the consonants Norwegian doubles
_DOUBLE = re.compile(rf"([{_DOUBLED}])\1")


def base_forms(word: str) -> list[str]:
    """Forms Snowball leaves alone because the word is short ("byer" → "by") or a derivation ("sykling" →
    "sykl"): fallbacks for a word the agreement does not have as it stands."""
    forms = [word[: -len(ending)] for ending in _ENDINGS if word.endswith(ending) and len(word) - len(ending) >= 2]
    forms += [word[: -len(ending)] for ending in _COMPARISON if word.endswith(ending) and len(word) - len(ending) >= 4]
    if word.endswith("e") and len(word) - 1 >= ADJECTIVE_BASE:  # Snowball stems "konkret" to "konkr"
        forms.append(word[:-1])
    # The noun of a verb in -ere/-e: "parkere" → "parkering", "kartlegge" → "kartlegging"
    forms += [word[: -len(ending)] + "ing" for ending in ("er", "e") if word.endswith(ending) and len(word) >= 5]
    derived = strip_derivation(word)
    return [*forms, derived] if derived else forms


_NYNORSK_ENDINGS = (("ane", "ene"), ("ast", "est"), ("ar", "er"), ("a", "e"))


# Nynorsk spellings inside a word, with their bokmål ones: "austre" → "østre", "tilbod" → "tilbud", "betre",
# "høgskule" → "høgskole".
_NYNORSK_SPELLINGS = (("au", "ø"), ("bod", "bud"), ("betr", "bedr"), ("skule", "skole"))


def bokmal_forms(word: str) -> list[str]:
    """The bokmål form of a nynorsk one, by its ending ("hjelpa" → "hjelpe", "køyrer") or its spelling
    ("austre" → "østre", "togtilbodet" → "togtilbudet"): how common a word is in general Norwegian is read
    from a bokmål list, where a nynorsk word would look rare, like a subject; and the agreement is in bokmål."""
    spelled = [word.replace(nn, nb) for nn, nb in _NYNORSK_SPELLINGS if nn in word]
    return [
        *spelled,
        *(
            form[: -len(nn)] + nb
            for form in (word, *spelled)
            for nn, nb in _NYNORSK_ENDINGS
            if form.endswith(nn) and len(form) - len(nn) >= 3
        ),
    ]


_INFLECTIONS = ("ene", "ane", "er", "ar", "en", "et", "a", "n", "r", "t")


def uninflected_forms(word: str) -> list[str]:
    """The word without a noun's or verb's ending ("veiledningen" → "veiledning", "prøven" → "prøve"): how
    common a word is in general Norwegian is read from a list where an inflected form looks rarer."""
    return [word[: -len(ending)] for ending in _INFLECTIONS if word.endswith(ending) and len(word) - len(ending) >= 4]


def respelled_forms(word: str) -> list[str]:
    """The word with one consonant doubled or a doubled one made single ("forskjelen" → "forskjellen",
    "generel" → "generell"): a common word typed in haste must not look rare, like a subject the agreement
    lacks, when general Norwegian is asked how common it is."""
    single = [word[:i] + word[i + 1 :] for i in range(1, len(word)) if word[i] in _DOUBLED and word[i] == word[i - 1]]
    double = [
        word[: i + 1] + word[i:]
        for i in range(1, len(word))
        if word[i] in _DOUBLED and word[i] != word[i - 1] and word[i + 1 : i + 2] != word[i]
    ]
    return single + double


def digraph_spelling(word: str) -> str:
    """The word as typed with "aa", "ae", "oe" for å, æ, ø ("får" → "faar", "være" → "vaere")."""
    return word.translate(_DIGRAPHS)


def native_forms(word: str) -> list[str]:
    """The word with å, æ, ø where it was typed "aa", "ae", "oe" ("faar" → "får"): in the general frequency
    list the typed form looks rare, like a subject the agreement lacks."""
    native = word.replace("aa", "å").replace("ae", "æ").replace("oe", "ø")
    return [native] if native != word else []


def undouble(text: str) -> str:
    """Doubled consonants made single: "grøn"/"grønn", "bus"/"buss" meet (nynorsk spelling, hasty typing)."""
    return _DOUBLE.sub(r"\1", text)
