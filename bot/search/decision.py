"""Answer or abstain: one decision over every signal the two layers give.

Neither layer can decide alone. Lexical coverage misses paraphrase; the semantic cosine of an off-topic
question (0.80–0.86 against its best part) overlaps an on-topic one's (0.81–0.91). Together they separate:
a question answers when a weighted sum of its signals (a logistic model) clears a threshold. The weights
are fitted by `tests/search/calibrate.py` on the calibration and extra question sets, never on the sets
that judge the search; the README gives the figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Evidence:
    """What the layers found for one question."""

    coverage: float  # lexical: share of the question's weight found anywhere in the agreement (0–1)
    missing_rare: float  # lexical: share of the weight in rare words found nowhere (a subject it lacks)
    subject_found: bool  # lexical: the question's heaviest word was found
    best_coverage: float  # lexical: the best document's share
    similarity: float  # semantic: cosine of the best part (0 without the layer)
    margin: float  # semantic: the best cosine minus the next
    semantic: bool  # whether the semantic layer answered
    uncovered: float = 0.0  # lexical: share of the weight in subjects the agreement does not cover
    specific_found: bool = True  # lexical: a word was found that is more than a place, a party or a body
    context: float = 0.0  # lexical: share of the weight found only as a place, a party or a body
    partial: float = 0.0  # lexical: share of the weight in compounds found only by some of their parts
    brevity: float = 0.0  # 1 / the number of content words: a bare word embeds far from any whole part
    asks_fact: bool = False  # the question asks for a figure, price, time or procedure, not what the agreement says

    def features(self) -> dict[str, float]:
        """The model's inputs, scaled to roughly 0–1 (a cosine spans only 0.78–0.92 here)."""
        found = {
            "coverage": self.coverage,
            "missing_rare": self.missing_rare,
            "subject_found": float(self.subject_found),
            "best_coverage": self.best_coverage,
            "uncovered": self.uncovered,
            "context": self.context,
            "partial": self.partial,
            "asks_fact": float(self.asks_fact),
        }
        if self.semantic:
            found["brevity"] = self.brevity
            found["similarity"] = (self.similarity - SIMILARITY_CENTRE) * SIMILARITY_SCALE
            found["margin"] = self.margin * SIMILARITY_SCALE
        return found


SIMILARITY_CENTRE = 0.84
SIMILARITY_SCALE = 10.0

# Fitted weights (tests/search/calibrate.py); "bias" is the intercept. With the semantic layer, and without.
WEIGHTS_SEMANTIC: dict[str, float] = {
    "bias": -8.59,
    "asks_fact": -11.621,
    "best_coverage": 1.56,
    "brevity": 6.859,
    "context": -7.885,
    "coverage": 9.153,
    "margin": -4.17,
    "missing_rare": -0.705,
    "partial": -4.65,
    "similarity": 12.294,
    "subject_found": -1.056,
    "uncovered": -10.946,
}
WEIGHTS_LEXICAL: dict[str, float] = {
    "bias": -2.945,
    "asks_fact": -8.983,
    "best_coverage": 1.182,
    "context": -4.199,
    "coverage": 6.459,
    "missing_rare": -1.625,
    "partial": -3.892,
    "subject_found": -0.196,
    "uncovered": -8.267,
}
THRESHOLD = 0.5  # answer when the model's probability reaches this


def probability(evidence: Evidence) -> float:
    """How likely the agreement answers the question, by the fitted model for the layers at hand."""
    weights = WEIGHTS_SEMANTIC if evidence.semantic else WEIGHTS_LEXICAL
    total = weights.get("bias", 0.0) + sum(
        weights.get(name, 0.0) * value for name, value in evidence.features().items()
    )
    return 1.0 / (1.0 + math.exp(-max(-50.0, min(50.0, total))))


def abstains_whatever_it_means(evidence: Evidence) -> bool:
    """Abstain on the lexical signals alone, whatever the semantic layer would say: the search then skips the
    question's embedding, most of a question's cost (README, "Benchmarks")."""
    if evidence.uncovered > 0 and not evidence.specific_found:
        return True  # a subject the agreement lacks, asked about a place or a party it names
    return evidence.coverage <= 0  # no word of the question is in the agreement or the lexicon


def decide(evidence: Evidence) -> bool:
    """Answer (True) or abstain."""
    if abstains_whatever_it_means(evidence):
        return False
    if (
        evidence.brevity == 1.0
        and evidence.subject_found
        and not (evidence.uncovered or evidence.partial or evidence.asks_fact)
    ):
        return True  # one word the agreement or the lexicon has (a typo of one too): it embeds far from any part
    return probability(evidence) >= THRESHOLD
