"""Fit the answer-or-abstain model (bot/search/decision.py) on the calibration and extra question sets.

    .venv/bin/python tests/search/calibrate.py            # fit, print the weights to paste, and the figures

A logistic regression over `Evidence.features()`: label 1 for a question the agreement answers, 0 for one it
does not. Off-topic questions weigh more (a wrong answer is worse than none), and the threshold is the
model's 0.5. The development and frozen sets are never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import yaml

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from bot.search import build_index  # noqa: E402
from bot.search import decision as model  # noqa: E402
from bot.search.decision import Evidence  # noqa: E402

FIT_SETS = ["questions_calibration.yaml", "questions_extra.yaml"]
OFF_TOPIC_WEIGHT = 2.0
L2 = 0.01


def load_cases(name: str) -> list[dict[str, object]]:
    path = REPO / "tests" / "data" / name
    return yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else []


def fit(rows: list[dict[str, float]], labels: list[int], names: list[str]) -> dict[str, float]:
    """Weighted, L2-regularised logistic regression by Newton's method (a handful of features)."""
    x = np.array([[1.0] + [row.get(name, 0.0) for name in names] for row in rows])
    y = np.array(labels, dtype=float)
    sample = np.where(y == 0, OFF_TOPIC_WEIGHT, 1.0)
    w = np.zeros(x.shape[1])
    penalty = L2 * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(x @ w, -50, 50)))
        gradient = x.T @ (sample * (p - y)) + penalty @ w
        hessian = (x * (sample * p * (1 - p))[:, None]).T @ x + penalty
        w -= np.linalg.solve(hessian, gradient)
    return {"bias": round(float(w[0]), 3), **{name: round(float(v), 3) for name, v in zip(names, w[1:], strict=True)}}


def main() -> None:
    index = build_index()
    lexical_only = build_index(semantic=False)
    print("semantic layer:", index.semantic)
    evidence: list[tuple[Evidence, Evidence, int]] = []
    for name in FIT_SETS:
        for case in load_cases(name):
            question = str(case["q"])
            found, alone = index.evidence(question), lexical_only.evidence(question)
            if found is None or alone is None:
                continue  # no content words: abstains before the model is asked
            evidence.append((found, alone, int(bool(case["gold"]))))
    labels = [label for _, _, label in evidence]
    for pick, target in ((0, "WEIGHTS_SEMANTIC"), (1, "WEIGHTS_LEXICAL")):
        rows = [item[pick].features() for item in evidence]  # type: ignore[union-attr]
        names = sorted({key for row in rows for key in row})
        weights = fit(rows, labels, names)
        setattr(model, target, weights)
        probabilities = [model.probability(item[pick]) for item in evidence]  # type: ignore[arg-type]
        off = [p >= model.THRESHOLD for p, label in zip(probabilities, labels, strict=True) if not label]
        on = [p >= model.THRESHOLD for p, label in zip(probabilities, labels, strict=True) if label]
        print(f"{target} = {weights}  # n={len(rows)}")
        print(f"  on the fitting sets: on-topic answered {sum(on)}/{len(on)}, off-topic answered {sum(off)}/{len(off)}")


if __name__ == "__main__":
    main()
